using CachedMethods.Redis;

namespace CachedMethods.Benchmarks.Infrastructure;

/// <summary>
/// The engine configurations of the groups. Options start from the defaults, never from the process
/// environment, so a REDIS_URL or DISK_CACHE_PATH on the machine cannot change what is measured.
/// No logger factory is passed: logging is off (the engine's own per-tier hit counters always run).
/// </summary>
public static class Engines
{
    /// <summary>Memory tier only, bounded like every other in-memory contender.</summary>
    public static CacheManager MemoryOnly() => new(new CacheOptions
    {
        DefaultTtlSeconds = BenchmarkSettings.TtlSeconds,
        MemoryCacheSizeMb = BenchmarkSettings.MemoryBoundMb,
        DiskCacheSizeGb = 0,
    });

    /// <summary>
    /// Redis only: the memory tier is off (size 0) so that every hit is read from Redis, and so is the
    /// disk tier, so that nothing below Redis is touched.
    /// </summary>
    public static CacheManager RedisOnly(string url, string keyPrefix) => new(new CacheOptions
    {
        DefaultTtlSeconds = BenchmarkSettings.TtlSeconds,
        MemoryCacheSizeMb = 0,
        DiskCacheSizeGb = 0,
        Redis = { Url = url, KeyPrefix = keyPrefix },
    }.UseRedis());

    /// <summary>Disk only, under <paramref name="folder"/>: the memory tier is off so that every hit is read from a file.</summary>
    /// <param name="folder">The disk tier's folder.</param>
    /// <param name="signingKey">When set, entries are signed and checked (<see cref="CacheOptions.SigningKey"/>).</param>
    public static CacheManager DiskOnly(string folder, string? signingKey = null) => new(new CacheOptions
    {
        DefaultTtlSeconds = BenchmarkSettings.TtlSeconds,
        MemoryCacheSizeMb = 0,
        DiskCacheSizeGb = 1,
        DiskCachePath = folder,
        SigningKey = signingKey,
    });
}
