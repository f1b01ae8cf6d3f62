namespace CachedMethods.Internal;

/// <summary>
/// The fleet of one process (no shared store): invalidations are recorded here, nothing is published,
/// no lock is ever held, and a computation simply runs.
/// </summary>
internal sealed class LocalFleetCoordinator(MemoryCacheStore? memory) : IFleetCoordinator
{
    public TagClock Tags { get; } = new(memory);

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
