namespace CachedMethods.Internal;

/// <summary>An entry's settings with the engine's defaults filled in: computed once per call that needs them.</summary>
internal readonly record struct EntryPolicy(
    TimeSpan Ttl,
    TimeSpan Retain,
    double RefreshFraction,
    TimeSpan SoftTimeout,
    TimeSpan HardTimeout,
    bool Distributed,
    IReadOnlyList<string>? Tags,
    CacheTiers Tiers)
{
    public static EntryPolicy Of(CacheEntryOptions entry, CacheOptions defaults) => new(
        entry.Ttl ?? defaults.DefaultTtl,
        entry.FailSafeMaxStaleness ?? TimeSpan.FromSeconds(defaults.FailSafeMaxStalenessSeconds),
        entry.RefreshAheadFraction ?? defaults.RefreshAheadFraction,
        entry.SoftTimeout ?? TimeSpan.FromMilliseconds(defaults.SoftTimeoutMs),
        entry.HardTimeout ?? TimeSpan.FromMilliseconds(defaults.HardTimeoutMs),
        (entry.DistributedSingleFlight ?? defaults.DistributedSingleFlight) && (entry.Tiers & CacheTiers.Redis) != 0,
        // Only digests go below the public API: tags may carry key or argument text (issue 14, item 3).
        TagDigest.Normalize(entry.Tags),
        entry.Tiers);

    public bool UsesMemory => (Tiers & CacheTiers.Memory) != 0;

    /// <summary>How long a store keeps the entry: its TTL plus the fail-safe window.</summary>
    public TimeSpan StoreTtl => Ttl + Retain;

    /// <summary>When refresh-ahead is on, how long after a write the entry becomes due for refresh.</summary>
    public TimeSpan? RefreshAfter => RefreshFraction is > 0 and < 1 ? Ttl * RefreshFraction : null;
}
