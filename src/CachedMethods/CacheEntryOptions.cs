namespace CachedMethods;

/// <summary>Per-entry settings. Generated wrappers keep one static instance per method; derive variants with <c>with</c>.</summary>
public sealed record CacheEntryOptions
{
    /// <summary>Time to live; <see langword="null"/> means <see cref="CacheOptions.DefaultTtlSeconds"/>.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>The tiers this entry may live in. Default all.</summary>
    public CacheTiers Tiers { get; init; } = CacheTiers.All;

    /// <summary>Tags for <see cref="CacheManager.InvalidateTagAsync"/>; <see langword="null"/> for none.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>
    /// Whether one process in the fleet computes a missing value while the others wait for it through
    /// Redis. <see langword="null"/> means <see cref="CacheOptions.DistributedSingleFlight"/>.
    /// </summary>
    public bool? DistributedSingleFlight { get; init; }

    /// <summary>
    /// How long past its TTL a value may still be served when the factory fails or is slow (fail-safe).
    /// <see langword="null"/> means <see cref="CacheOptions.FailSafeMaxStalenessSeconds"/>; zero turns it off.
    /// </summary>
    public TimeSpan? FailSafeMaxStaleness { get; init; }

    /// <summary>
    /// With fail-safe and a stale value at hand, how long to wait for the factory before returning the stale
    /// value (the factory then completes in the background and refreshes the entry). <see langword="null"/>
    /// means <see cref="CacheOptions.SoftTimeoutMs"/>.
    /// </summary>
    public TimeSpan? SoftTimeout { get; init; }

    /// <summary>
    /// The longest a caller waits for the factory, whatever happens; past it the caller gets a stale value
    /// if one is at hand, else a <see cref="TimeoutException"/>, and the factory completes in the
    /// background. <see langword="null"/> means <see cref="CacheOptions.HardTimeoutMs"/>.
    /// </summary>
    public TimeSpan? HardTimeout { get; init; }

    /// <summary>
    /// Once an entry has lived this fraction of its TTL (0 &lt; f &lt; 1), the next hit returns it and refreshes
    /// it in the background, once per key across the fleet. <see langword="null"/> means
    /// <see cref="CacheOptions.RefreshAheadFraction"/>; 0 turns it off.
    /// </summary>
    public double? RefreshAheadFraction { get; init; }

    /// <summary>Default settings: the engine's TTL, every tier.</summary>
    public static CacheEntryOptions Default { get; } = new();
}

/// <summary>The outcome of a read: whether the key was found, and its value (which may be <see langword="null"/>).</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly record struct CacheResult<T>(bool HasValue, T? Value)
{
    /// <summary>A miss.</summary>
    public static CacheResult<T> Miss => default;

    /// <summary>A hit, whose value may be <see langword="null"/> or empty: a cached empty result is still a hit.</summary>
    public static CacheResult<T> Hit(T value) => new(true, value);
}
