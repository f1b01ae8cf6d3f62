using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Infrastructure;

/// <summary>
/// Options for a test cache. Never reads the process environment: every setting is explicit, the clock
/// is fake, and the disk tier is on only when a folder is given.
/// </summary>
public static class TestOptions
{
    public static CacheOptions Create(TimeProvider time, string? diskPath = null, Action<CacheOptions>? configure = null)
    {
        var options = new CacheOptions
        {
            TimeProvider = time,
            Environment = CacheEnvironment.Main,
            MemoryCacheSizeMb = 16,
            DiskCacheSizeGb = diskPath is null ? 0 : 1,
            DiskCachePath = diskPath ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cachedmethods-tests", "disk-must-stay-off"),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Plugs <paramref name="store"/> in as the Redis tier, the way <c>UseRedis()</c> does.</summary>
    public static void UseFakeRedis(this CacheOptions options, ICacheStore store, int operationTimeoutMs = 100)
    {
        options.Redis.Host = "fake";
        options.Redis.OperationTimeoutMs = operationTimeoutMs;
        options.RedisStoreFactory = (_, _) => store;
    }

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2024, 5, 1, 8, 0, 0, TimeSpan.Zero));
}
