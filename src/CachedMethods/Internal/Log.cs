using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Cache tier '{Tier}' failed on {Operation} ({Reason}); the call continues as a miss.")]
    public static partial void StoreFailed(ILogger logger, string tier, string operation, string reason, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Cache tier '{Tier}' failed {Failures} times in a row; skipping it until a probe succeeds.")]
    public static partial void CircuitOpened(ILogger logger, string tier, int failures);

    [LoggerMessage(3, LogLevel.Information, "Cache tier '{Tier}' answers again; circuit closed.")]
    public static partial void CircuitClosed(ILogger logger, string tier);

    [LoggerMessage(4, LogLevel.Warning, "Cache entry {StorageId} in tier '{Tier}' was {Status}; deleted and treated as a miss.")]
    public static partial void BadEntry(ILogger logger, string storageId, string tier, string status);

    [LoggerMessage(5, LogLevel.Warning, "Cache entry {StorageId} in tier '{Tier}' could not be read as {Type}; deleted and treated as a miss.")]
    public static partial void UnreadableEntry(ILogger logger, string storageId, string tier, string type, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "A value of type {Type} could not be serialized; it was returned but not cached.")]
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
}
