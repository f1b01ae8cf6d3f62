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

    /// <summary>
    /// The same policy with <paramref name="elapsed"/> taken off both timeouts (at least 1 ms each): a caller
    /// that waited for another process computes within what is left of its own bounds (issue 9, case 3).
    /// </summary>
    public EntryPolicy Spent(TimeSpan elapsed) => this with
    {
        SoftTimeout = Less(SoftTimeout, elapsed),
        HardTimeout = Less(HardTimeout, elapsed),
    };

    private static TimeSpan Less(TimeSpan timeout, TimeSpan elapsed) =>
        timeout <= TimeSpan.Zero ? timeout : TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (timeout - elapsed).Ticks));

    public bool UsesMemory => (Tiers & CacheTiers.Memory) != 0;

    /// <summary>How long a store keeps the entry: its TTL plus the fail-safe window.</summary>
    public TimeSpan StoreTtl => Ttl + Retain;

    /// <summary>When refresh-ahead is on, how long after a write the entry becomes due for refresh.</summary>
    public TimeSpan? RefreshAfter => RefreshFraction is > 0 and < 1 ? Ttl * RefreshFraction : null;
}
