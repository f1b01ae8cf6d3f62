namespace CachedMethods;

/// <summary>
/// What a shared store offers so that a delete is final in every process and tier: one clock (the
/// store's own), per-key removal records, a clear horizon, and writes that are checked against them and
/// against the key's lock in the same round trip. See docs/architecture.md, "Fleet correctness".
/// </summary>
/// <remarks>
/// Times are unix milliseconds on the store's clock. Every member may throw when the store is
/// unreachable; <see cref="CacheManager"/> catches, logs and degrades to local-only writes.
/// </remarks>
public interface ICacheFleetStore : ICacheCoordinator
{
    /// <summary>
    /// Takes the lock of <paramref name="storageId"/> under <paramref name="token"/>, chosen by the caller so that a
    /// request whose reply never came can still be released (compare-and-delete) once the store answers again.
    /// </summary>
    ValueTask<bool> TryAcquireLockAsync(string storageId, string token, TimeSpan expiry, CancellationToken cancellationToken);

    /// <summary>The store's clock now (Redis <c>TIME</c>), in unix milliseconds.</summary>
    ValueTask<long> GetTimeAsync(CancellationToken cancellationToken);

    /// <inheritdoc cref="GetTimeAsync"/>
    long GetTime();

    /// <summary>
    /// Stores <paramref name="envelope"/> only if no removal record of the key is at or after
    /// <paramref name="startedAt"/> (when <paramref name="startedAt"/> is positive), only if
    /// <paramref name="lockToken"/> (when given) still owns the key's lock, and, when
    /// <paramref name="onlyIfAbsent"/>, only if the key holds no value: a copy promoted from a lower tier
    /// fills an empty key and never replaces a value another process wrote. Otherwise it is refused when the
    /// value held was created later than <paramref name="envelope"/> (a computation that started before a set
    /// does not replace it).
    /// </summary>
    ValueTask<CommitOutcome> CommitAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, long startedAt, string? lockToken, bool onlyIfAbsent, CancellationToken cancellationToken);

    /// <inheritdoc cref="CommitAsync"/>
    CommitOutcome Commit(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, long startedAt, string? lockToken, bool onlyIfAbsent);

    /// <summary>
    /// Deletes the key's value and records its removal at the store's time, kept for at least
    /// <paramref name="recordLifetime"/> and the value's remaining TTL; returns whether a value was held.
    /// </summary>
    ValueTask<bool> RemoveAsync(string storageId, TimeSpan recordLifetime, CancellationToken cancellationToken);

    /// <inheritdoc cref="RemoveAsync"/>
    bool Remove(string storageId, TimeSpan recordLifetime);

    /// <summary>
    /// The latest time before which a copy of the key held anywhere is void: its removal record or the
    /// horizon, whichever is later; 0 when neither exists.
    /// </summary>
    ValueTask<long> GetRemovedAtAsync(string storageId, CancellationToken cancellationToken);

    /// <inheritdoc cref="GetRemovedAtAsync"/>
    long GetRemovedAt(string storageId);

    /// <summary>
    /// The horizon: every entry created before it is void. Set by a clear; when the store has lost its
    /// records (its data was lost), it is the store's start time.
    /// </summary>
    ValueTask<long> GetHorizonAsync(CancellationToken cancellationToken);

    /// <inheritdoc cref="GetHorizonAsync"/>
    long GetHorizon();

    /// <summary>
    /// Reads how many coherence messages were ever published (every message is numbered by the store) and
    /// compares with the numbers received here: <see langword="true"/> when a message counted at the previous
    /// call has still not arrived, or the count went back (the store lost it). The first call only sets the
    /// starting point. The caller then drops what those messages might have invalidated. See
    /// docs/architecture.md, "Lost messages".
    /// </summary>
    ValueTask<bool> CheckMessagesAsync(CancellationToken cancellationToken);

    /// <summary>Moves the horizon to the store's time now (a clear); returns it.</summary>
    ValueTask<long> AdvanceHorizonAsync(CancellationToken cancellationToken);

    /// <inheritdoc cref="AdvanceHorizonAsync"/>
    long AdvanceHorizon();
}

/// <summary>What became of a <see cref="ICacheFleetStore.CommitAsync"/>.</summary>
public enum CommitOutcome
{
    /// <summary>Stored: the value is the fleet's.</summary>
    Stored = 1,
    /// <summary>Not stored: the key was removed after the computation started, or holds a value created later.</summary>
    Superseded = 2,
    /// <summary>Not stored: the writer no longer holds the key's lock.</summary>
    Fenced = 3,
    /// <summary>Not stored: the key already holds a value, and the commit was only to fill an empty key.</summary>
    Held = 4,
}
