namespace CachedMethods.Benchmarks.Infrastructure;

/// <summary>
/// The one set of semantics every contender and baseline gets (issue 4, "equal semantics"): the same
/// TTL, the same memory bound, logging and metrics off. Entries are warmed in each group's GlobalSetup,
/// and every contender keys by the same parts (the method's identity plus its arguments).
/// </summary>
public static class BenchmarkSettings
{
    /// <summary>The TTL of every entry: long enough that nothing expires during a run.</summary>
    public const int TtlSeconds = 3600;

    /// <summary>The bound of every in-memory cache. Far above what a group stores, so nothing is evicted.</summary>
    public const int MemoryBoundMb = 64;

    /// <summary>The bound in bytes, for caches whose size limit is a byte count.</summary>
    public const long MemoryBoundBytes = MemoryBoundMb * 1024L * 1024L;

    /// <summary>
    /// The size charged per entry in the IMemoryCache-based caches (IMemoryCache, FusionCache), whose
    /// size limit is in caller-chosen units: about what the engine charges for a small item.
    /// </summary>
    public const long EntrySizeBytes = 160;

    /// <summary>The TTL as a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan Ttl { get; } = TimeSpan.FromSeconds(TtlSeconds);

    /// <summary>The key argument of the memory-hit group.</summary>
    public const int HitId = 42;
}
