namespace CachedMethods;

/// <summary>
/// What a shared store (Redis) offers beyond storage: fleet-wide locks for distributed single-flight,
/// a channel that keeps every process's memory tier coherent, and shared tag-invalidation times.
/// </summary>
/// <remarks>
/// Every member may throw when the store is unreachable; <see cref="CacheManager"/> catches, logs and
/// degrades (to in-process single-flight, and to the memory TTL as the staleness bound).
/// </remarks>
public interface ICacheCoordinator
{
    /// <summary>This process's id on the channel; messages it published are not delivered back to it.</summary>
    string InstanceId { get; }

    /// <summary>Takes the lock of <paramref name="storageId"/> for <paramref name="expiry"/>; returns its token, or <see langword="null"/> when another process holds it.</summary>
    ValueTask<string?> TryAcquireLockAsync(string storageId, TimeSpan expiry, CancellationToken cancellationToken);

    /// <summary>Extends a lock this process holds; <see langword="false"/> when the token no longer owns it.</summary>
    ValueTask<bool> RenewLockAsync(string storageId, string token, TimeSpan expiry);

    /// <summary>Releases a lock only if <paramref name="token"/> still owns it (compare-and-delete), and tells waiters.</summary>
    ValueTask ReleaseLockAsync(string storageId, string token);

    /// <summary>Whether any process holds the lock of <paramref name="storageId"/>.</summary>
    ValueTask<bool> IsLockedAsync(string storageId, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="message"/> to every other process.</summary>
    ValueTask PublishAsync(CoherenceMessage message);

    /// <summary>Raised for each message another process published; and with <see cref="CoherenceKind.Reconnected"/> after a lost connection returns.</summary>
    event Action<CoherenceMessage>? MessageReceived;

    /// <summary>Records that entries tagged <paramref name="tag"/> and created at or before <paramref name="at"/> are invalid.</summary>
    ValueTask SetTagInvalidatedAsync(string tag, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>When <paramref name="tag"/> was last invalidated, or <see langword="null"/> if never (within the record's life).</summary>
    ValueTask<DateTimeOffset?> GetTagInvalidatedAsync(string tag, CancellationToken cancellationToken);
}

/// <summary>What a coherence message asks other processes to do.</summary>
public enum CoherenceKind
{
    /// <summary>Drop the memory entry whose <see cref="KeyHash"/> is <see cref="CoherenceMessage.Value"/>.</summary>
    Remove = 1,
    /// <summary>Drop every memory entry.</summary>
    Clear = 2,
    /// <summary>Drop memory entries tagged <see cref="CoherenceMessage.Value"/> (invalidated at <see cref="CoherenceMessage.At"/>).</summary>
    Tag = 3,
    /// <summary>The computation of storage id <see cref="CoherenceMessage.Value"/> finished or gave up its lock.</summary>
    Released = 4,
    /// <summary>Local only: the channel's connection came back; messages may have been missed.</summary>
    Reconnected = 5,
}

/// <summary>One message on the coherence channel.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Value">A key hash, a tag or a storage id, by <paramref name="Kind"/>.</param>
/// <param name="At">When it happened (unix ms), for tag invalidations.</param>
public readonly record struct CoherenceMessage(CoherenceKind Kind, string Value, long At = 0)
{
    internal static CoherenceMessage Removed(CacheKey key) => new(CoherenceKind.Remove, key.Hash.ToString());
}
