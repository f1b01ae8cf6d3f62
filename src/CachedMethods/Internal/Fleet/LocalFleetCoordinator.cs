namespace CachedMethods.Internal;

/// <summary>
/// The fleet of one process (no shared store): invalidations are recorded here, nothing is published,
/// no lock is ever held, and a computation simply runs.
/// </summary>
internal sealed class LocalFleetCoordinator(MemoryCacheStore? memory, TimeProvider time) : IFleetCoordinator
{
    public TagClock Tags { get; } = new(memory, time);

    public FleetClock Clock { get; } = new(time);

    public long Horizon => 0;

    public bool CommitsWrites => false;

    public ValueTask<CommitOutcome> CommitAsync(string storageId, byte[] frame, TimeSpan ttl, long startedAt, string? lockToken, bool onlyIfAbsent, CancellationToken cancellationToken) => default;

    public CommitOutcome Commit(string storageId, byte[] frame, TimeSpan ttl, long startedAt, string? lockToken, bool onlyIfAbsent) => default;

    public ValueTask<int> RemoveAsync(string storageId, TimeSpan recordLifetime, CancellationToken cancellationToken) => new(-1);

    public int Remove(string storageId, TimeSpan recordLifetime) => -1;

    public void OweRemoval(CacheKey key, TimeSpan recordLifetime)
    {
    }

    public ValueTask SendOwedAsync() => ValueTask.CompletedTask;

    public void ReportOwed()
    {
    }

    public ValueTask<long> RemovedAtAsync(string storageId, CancellationToken cancellationToken) => new(0L);

    public long RemovedAt(string storageId) => 0;

    public ValueTask AdvanceHorizonAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void AdvanceHorizon()
    {
    }

    public ValueTask<bool> IsInvalidatedAsync(EnvelopeContent content, CancellationToken cancellationToken) =>
        new(Tags.IsInvalidated(content));

    public ValueTask InvalidateTagAsync(string tag, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Tags.Invalidate(tag, at.ToUnixTimeMilliseconds());
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(CoherenceMessage message) => ValueTask.CompletedTask;

    public void PublishInBackground(CoherenceMessage message)
    {
    }

    public ValueTask<LockAttempt> TryAcquireLockAsync(string storageId, CancellationToken cancellationToken) => new(LockAttempt.Unavailable);

    public ValueTask<bool> RenewLockAsync(string storageId, string token) => new(false);

    public ValueTask ReleaseLockAsync(string storageId, string token) => ValueTask.CompletedTask;

    public ValueTask<T> ComputeOnceAsync<TState, T>(MissWork<TState, T> work, CancellationToken cancellationToken) => work.ComputeAsync(cancellationToken);

    public void Dispose()
    {
    }
}
