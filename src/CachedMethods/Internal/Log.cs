using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Cache tier '{Tier}' failed on {Operation} ({Reason}: {Message}); the call continues as a miss.")]
    private static partial void StoreFailedWarning(ILogger logger, string tier, string operation, string reason, string message);

    [LoggerMessage(18, LogLevel.Debug, "Cache tier '{Tier}' failure on {Operation}, in full.")]
    private static partial void StoreFailedDetail(ILogger logger, string tier, string operation, Exception exception);

    /// <summary>One line at Warning (a dead tier repeats it until its circuit opens); the stack at Debug.</summary>
    public static void StoreFailed(ILogger logger, string tier, string operation, string reason, Exception exception)
    {
        StoreFailedWarning(logger, tier, operation, reason, exception.Message);
        StoreFailedDetail(logger, tier, operation, exception);
    }

    [LoggerMessage(2, LogLevel.Warning, "Cache tier '{Tier}' failed {Failures} times in a row; skipping it until a probe succeeds.")]
    public static partial void CircuitOpened(ILogger logger, string tier, int failures);

    [LoggerMessage(3, LogLevel.Information, "Cache tier '{Tier}' answers again; circuit closed.")]
    public static partial void CircuitClosed(ILogger logger, string tier);

    [LoggerMessage(4, LogLevel.Warning, "Cache entry {StorageId} in tier '{Tier}' was {Status}; deleted and treated as a miss.")]
    public static partial void BadEntry(ILogger logger, string storageId, string tier, string status);

    [LoggerMessage(5, LogLevel.Warning, "Cache entry {StorageId} in tier '{Tier}' could not be read as {Type}; deleted and treated as a miss.")]
    public static partial void UnreadableEntry(ILogger logger, string storageId, string tier, string type, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "A value of type {Type} could not be serialized, so values of this type are cached in memory only, never in Redis or the persistent tier (logged once per type). Give the type a generated formatter: see CM0007 and CM0041.")]
    public static partial void NotSerializable(ILogger logger, string type, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "The background write queue is full ({Capacity}); a write to tier '{Tier}' was dropped.")]
    public static partial void QueueFull(ILogger logger, int capacity, string tier);

    [LoggerMessage(8, LogLevel.Warning, "Cache tier '{Tier}' could not be created; continuing without it.")]
    public static partial void TierUnavailable(ILogger logger, string tier, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "{Setting} is configured but no store factory was registered; call options.{Method}() from the {Package} package. Continuing without it.")]
    public static partial void StoreNotRegistered(ILogger logger, string setting, string method, string package);

    [LoggerMessage(10, LogLevel.Information, "Cache started: environment {Environment}, memory {MemoryMb} MB, redis {Redis}, persistent {Persistent}.")]
    public static partial void Started(ILogger logger, CacheEnvironment environment, long memoryMb, string redis, string persistent);

    [LoggerMessage(11, LogLevel.Warning, "Background cache write to tier '{Tier}' failed.")]
    public static partial void BackgroundWriteFailed(ILogger logger, string tier, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "The factory for cache entry {StorageId} failed ({Reason}); serving the last known value (fail-safe).")]
    public static partial void FailSafeUsed(ILogger logger, string storageId, string reason, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "The factory for cache entry {StorageId} took longer than {TimeoutMs} ms; serving the last known value while it completes in the background (fail-safe).")]
    public static partial void FailSafeTimeout(ILogger logger, string storageId, double timeoutMs);

    [LoggerMessage(15, LogLevel.Warning, "Waited {Seconds} s for another process to compute cache entry {StorageId}; computing it here.")]
    public static partial void LockWaitExceeded(ILogger logger, string storageId, int seconds);

    [LoggerMessage(16, LogLevel.Warning, "A background computation of cache entry {StorageId} failed; the current entry stays until it expires.")]
    public static partial void BackgroundFactoryFailed(ILogger logger, string storageId, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "Cache entry {StorageId} in tier '{Tier}' holds a {StoredType}, not a {RequestedType}; treated as a miss. Two call sites share a key.")]
    public static partial void OtherType(ILogger logger, string storageId, string tier, string storedType, string requestedType);

    [LoggerMessage(40, LogLevel.Debug, "Cache entry {StorageId} was not stored as the fleet's value: {Reason} (removed or written anew after its computation started, its lock was lost, or a promoted copy found another value there).")]
    public static partial void CommitRefused(ILogger logger, string storageId, string reason);

    [LoggerMessage(41, LogLevel.Debug, "Cache entry {StorageId} in tier '{Tier}' is older than its removal or the clear horizon; deleted, not served.")]
    public static partial void RemovedEntry(ILogger logger, string storageId, string tier);

    [LoggerMessage(42, LogLevel.Warning, "A coherence message from another process never arrived; dropping the memory tier and the cached tag times, which it might have invalidated.")]
    public static partial void CoherenceMessagesMissed(ILogger logger);

    [LoggerMessage(43, LogLevel.Warning, "Redis did not take a {Kind} for the fleet; it is kept, with any that follow, and sent when Redis answers.")]
    public static partial void FleetBacklogStarted(ILogger logger, string kind);

    [LoggerMessage(44, LogLevel.Warning, "More than {Capacity} keys and tags are owed to the fleet; they are replaced by one clear of the whole fleet, sent when Redis answers.")]
    public static partial void FleetBacklogOverflowed(ILogger logger, int capacity);

    [LoggerMessage(45, LogLevel.Information, "Everything owed to the fleet was sent, {Seconds} s after the first failure.")]
    public static partial void FleetBacklogPaid(ILogger logger, int seconds);

    [LoggerMessage(46, LogLevel.Warning, "The cache closed while {Count} keys, tags or clears were still owed to the fleet (Redis did not answer); other processes keep their copies of those until their TTL.")]
    public static partial void FleetBacklogAbandoned(ILogger logger, int count);
}
