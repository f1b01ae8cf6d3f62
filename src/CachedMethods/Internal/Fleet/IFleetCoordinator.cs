namespace CachedMethods.Internal;

/// <summary>
/// Everything the engine asks of the other processes: the coherence channel, tag and prefix
/// invalidation times, and the per-key lock of distributed single-flight and refresh-ahead. With a
/// shared store (Redis) it is <see cref="RedisFleetCoordinator"/>, whose every call goes through that
/// store's guard; without one it is <see cref="LocalFleetCoordinator"/>, so the engine never asks
/// whether Redis is there.
/// </summary>
internal interface IFleetCoordinator : IDisposable
{
    /// <summary>Tag invalidation times known in this process.</summary>
    TagClock Tags { get; }

    /// <summary>Whether an entry created at <paramref name="content"/>'s time carries a tag invalidated since, asking the fleet for tag times not known here.</summary>
    ValueTask<bool> IsInvalidatedAsync(EnvelopeContent content, CancellationToken cancellationToken);

    /// <summary>Records the invalidation here and in the fleet, and tells every other process.</summary>
    ValueTask InvalidateTagAsync(string tag, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Tells every other process (when coherence is on); never throws.</summary>
    ValueTask PublishAsync(CoherenceMessage message);

    /// <summary>Like <see cref="PublishAsync"/>, without waiting: for synchronous callers.</summary>
    void PublishInBackground(CoherenceMessage message);

    /// <summary>Tries to take the fleet-wide lock of <paramref name="storageId"/>.</summary>
    ValueTask<LockAttempt> TryAcquireLockAsync(string storageId, CancellationToken cancellationToken);

    /// <summary>Extends a held lock; <see langword="false"/> when it is no longer ours or the call failed.</summary>
    ValueTask<bool> RenewLockAsync(string storageId, string token);

    /// <summary>Releases a held lock and tells its waiters; never throws (an unreleased lock expires).</summary>
    ValueTask ReleaseLockAsync(string storageId, string token);

    /// <summary>The fleet's clock: every stamp (creation, removal, invalidation) is on it.</summary>
    FleetClock Clock { get; }

    /// <summary>The clear horizon known here (fleet ms): every entry created at or before it is void.</summary>
    long Horizon { get; }

    /// <summary>Whether Redis writes go through <see cref="CommitAsync"/> (a shared store that checks removals and locks).</summary>
    bool CommitsWrites { get; }

    /// <summary>
    /// Stores a frame as the fleet's value if no removal since <paramref name="startedAt"/>, the lock (when given)
    /// and, for a promotion (<paramref name="onlyIfAbsent"/>), an empty key allow; 0 when the store did not answer.
    /// </summary>
    ValueTask<CommitOutcome> CommitAsync(string storageId, byte[] frame, TimeSpan ttl, long startedAt, string? lockToken, bool onlyIfAbsent, CancellationToken cancellationToken);

    /// <inheritdoc cref="CommitAsync"/>
    CommitOutcome Commit(string storageId, byte[] frame, TimeSpan ttl, long startedAt, string? lockToken, bool onlyIfAbsent);

    /// <summary>Deletes the shared copy and records the removal: 1 held, 0 absent, -1 the store did not answer (or there is none).</summary>
    ValueTask<int> RemoveAsync(string storageId, TimeSpan recordLifetime, CancellationToken cancellationToken);

    /// <inheritdoc cref="RemoveAsync"/>
    int Remove(string storageId, TimeSpan recordLifetime);

    /// <summary>
    /// Records that the store did not take <paramref name="key"/>'s removal, or a write that replaces its value: the
    /// removal record and its message are sent once the store answers, so every other copy of the key is voided.
    /// </summary>
    void OweRemoval(CacheKey key, TimeSpan recordLifetime);

    /// <summary>
    /// Before the cache closes: sends what is still owed to the fleet, once, each call bounded by the store's guard,
    /// and logs what could not be sent. Never throws.
    /// </summary>
    ValueTask SendOwedAsync();

    /// <summary>The synchronous close: logs what is still owed and cannot be sent now.</summary>
    void ReportOwed();

    /// <summary>When the key was last removed or the horizon, asked of the store now; -1 when it did not answer, 0 never.</summary>
    ValueTask<long> RemovedAtAsync(string storageId, CancellationToken cancellationToken);

    /// <inheritdoc cref="RemovedAtAsync"/>
    long RemovedAt(string storageId);

    /// <summary>Moves the horizon to now (a clear) and tells every other process to drop its memory.</summary>
    ValueTask AdvanceHorizonAsync(CancellationToken cancellationToken);

    /// <inheritdoc cref="AdvanceHorizonAsync"/>
    void AdvanceHorizon();

    /// <summary>Computes <paramref name="work"/> once across the fleet: the lock holder computes, the others wait and read its result.</summary>
    ValueTask<T> ComputeOnceAsync<TState, T>(MissWork<TState, T> work, CancellationToken cancellationToken);
}

/// <summary>The outcome of a lock attempt.</summary>
internal readonly record struct LockAttempt(LockOutcome Outcome, string? Token)
{
    public static LockAttempt HeldElsewhere => new(LockOutcome.HeldElsewhere, null);

    /// <summary>No shared store, or the call failed: the caller acts on its own.</summary>
    public static LockAttempt Unavailable => new(LockOutcome.Unavailable, null);
}

internal enum LockOutcome
{
    Unavailable,
    Acquired,
    HeldElsewhere,
}
