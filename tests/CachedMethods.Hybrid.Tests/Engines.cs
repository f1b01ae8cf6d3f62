using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;

namespace CachedMethods.Hybrid.Tests;

[CollectionDefinition(RedisFixture.Collection)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>;

/// <summary>
/// HybridCaches over engines that share one Redis key prefix, like processes of one fleet: each has its own memory
/// tier and disk folder. Disposes them and their folders.
/// </summary>
internal sealed class Engines(RedisFixture redis) : IAsyncDisposable
{
    private readonly List<CacheManager> _engines = [];
    private readonly List<string> _folders = [];

    public string Prefix { get; } = redis.UniquePrefix();

    public HybridCache New(TimeProvider? time = null, bool withRedis = true)
    {
        var folder = TestEnvironment.NewTempFolder("hybrid");
        _folders.Add(folder);
        var options = new CacheOptions { DiskCachePath = folder, MemoryCacheSizeMb = 16, TimeProvider = time ?? TimeProvider.System };
        if (withRedis)
        {
            options.Redis.Url = redis.Url;
            options.Redis.KeyPrefix = Prefix;
            // Generous: the machine is shared, and no test here is about how fast Redis answers. At the default
            // 250 ms a busy machine turns a write into a local-only one, and a test that expects it in Redis fails.
            options.Redis.OperationTimeoutMs = 10_000;
            options.Redis.ConnectTimeoutMs = 10_000;
            options.UseRedis();
        }

        var engine = new CacheManager(options);
        _engines.Add(engine);
        return new CachedMethodsHybridCache(engine);
    }

    /// <summary>The keys this fleet holds in Redis, read with a connection of the test's own.</summary>
    public async Task<TimeSpan?> RedisTimeToLiveAsync(string key)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.Host}:{redis.Port}");
        return await connection.GetDatabase().KeyTimeToLiveAsync(Prefix + "{" + CacheKey.FromString(key).StorageId + "}");
    }

    public async Task<bool> InRedisAsync(string key)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.Host}:{redis.Port}");
        return await connection.GetDatabase().KeyExistsAsync(Prefix + "{" + CacheKey.FromString(key).StorageId + "}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.ClearAsync();
            await engine.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            TestEnvironment.DeleteFolder(folder);
        }
    }

    public static CacheManager Engine(HybridCache cache) => ((CachedMethodsHybridCache)cache).Engine;

    public static long Entries(HybridCache cache, string tier) => Engine(cache).GetStats()[tier]?.Entries ?? 0;

    /// <summary>Polls until <paramref name="condition"/> holds or a generous bound passes; asserts nothing about time.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
