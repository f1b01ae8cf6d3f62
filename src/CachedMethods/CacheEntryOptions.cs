namespace CachedMethods;

/// <summary>Per-entry settings. Generated wrappers keep one static instance per method.</summary>
public sealed class CacheEntryOptions
{
    /// <summary>Time to live; <see langword="null"/> means <see cref="CacheOptions.DefaultTtlSeconds"/>.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>The tiers this entry may live in. Default all.</summary>
    public CacheTiers Tiers { get; init; } = CacheTiers.All;

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
