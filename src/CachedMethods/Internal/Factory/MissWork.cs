namespace CachedMethods.Internal;

/// <summary>
/// One miss to resolve: the key, the factory and its state, the entry's policy and any stale value at
/// hand for fail-safe, and the fleet lock's lease when this process computes for the fleet. Passed by value to whoever resolves it (the fleet, the refresh scheduler), so a
/// miss allocates no object for it.
/// </summary>
internal readonly record struct MissWork<TState, T>(
    CacheKey Key,
    TState State,
    Func<TState, CancellationToken, ValueTask<T>> Factory,
    EntryPolicy Policy,
    LowerRead<T> Stale,
    TierReader Reader,
    FactoryRunner Runner,
    FleetLease? Lease = null)
{
    /// <summary>Reads the stores below memory again (another process may have stored the value).</summary>
    public ValueTask<LowerRead<T>> ReadStoredAsync(CacheTiers tiers, CancellationToken cancellationToken) =>
        Reader.ReadAsync<T>(Key, tiers, 0, cancellationToken);

    /// <summary>Runs the factory under the entry's fail-safe and timeout policy, and stores its result.</summary>
    public ValueTask<T> ComputeAsync(CancellationToken cancellationToken) => Runner.RunAsync(this, cancellationToken);
}
