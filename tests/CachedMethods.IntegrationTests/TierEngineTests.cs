using Amazon.Runtime;
using CachedMethods.Redis;
using CachedMethods.S3;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>The whole engine over a real redis-server and a real S3-compatible server.</summary>
public sealed class TierEngineTests(RedisFixture redis, S3Fixture s3) : IClassFixture<RedisFixture>, IClassFixture<S3Fixture>, IAsyncLifetime
{
    private readonly string _disk = TestEnvironment.NewTempFolder("engine");
    private readonly string _prefix = redis.UniquePrefix();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        TestEnvironment.DeleteFolder(_disk);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_value_set_in_one_process_is_read_in_another()
    {
        await using var cache = await StartAsync(Options());
        await cache.SetAsync("shared-page", new Page("from the test process", 1, ["a"]));

        var peer = await Peer.RunAsync(redis.Url, _prefix, TestEnvironment.NewTempFolder("peer"), "get", "shared-page");

        Assert.Equal("HIT from the test process", peer);
    }

    [Fact]
    public async Task A_value_set_by_another_process_is_read_here()
    {
        Assert.Equal("SET", await Peer.RunAsync(redis.Url, _prefix, TestEnvironment.NewTempFolder("peer"), "set", "peer-page", "from the peer"));
        await using var cache = await StartAsync(Options());

        var found = await cache.GetAsync<Page>("peer-page");

        Assert.True(found.HasValue);
        Assert.Equal("from the peer", found.Value!.Text);
        Assert.Equal(1, cache.GetStats()["redis"]!.Hits);
    }

    [Fact]
    public async Task Another_process_generates_the_same_key()
    {
        await using var cache = await StartAsync(Options());
        var here = cache.GenerateKey("doc-7", ("scale", 1.5), ("strategy", "balanced"), ("dpi", 300));

        var there = await Peer.RunAsync(redis.Url, _prefix, TestEnvironment.NewTempFolder("peer"), "key", "doc-7");

        Assert.Equal(here, there);
    }

    [Fact]
    public async Task A_value_only_on_disk_is_served_and_promoted_to_redis_and_memory()
    {
        var page = new Page("persisted", 3, ["x", "y"]);
        await using (var writer = await StartAsync(Options()))
        {
            await writer.SetAsync("page-3", page, TimeSpan.FromMinutes(10));
            Assert.True(await writer.ClearAsync(CacheTiers.Memory | CacheTiers.Redis) >= 2);
        }

        await using var cache = await StartAsync(Options());
        var found = await cache.GetAsync<Page>("page-3");

        Assert.True(found.HasValue);
        Assert.Equal(page.Text, found.Value!.Text);
        Assert.Equal(page.Words, found.Value.Words);
        var stats = cache.GetStats();
        Assert.Equal(1, stats["disk"]!.Hits);
        Assert.Equal(1, stats["redis"]!.Misses);
        Assert.Equal(1, cache.MemoryStore!.Count);

        // Promoted: Redis now answers for a process that has neither memory nor disk.
        Assert.Equal("HIT persisted", await Peer.RunAsync(redis.Url, _prefix, TestEnvironment.NewTempFolder("peer"), "get", "page-3"));
        // And it kept the remaining TTL rather than a fresh one.
        var ttl = await RedisTtlAsync(cache, "page-3");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task A_clear_of_memory_and_redis_in_another_process_leaves_the_disk_copy_here_valid()
    {
        await using var cache = await StartAsync(Options());
        var otherOptions = Options();
        otherOptions.DiskCachePath = TestEnvironment.NewTempFolder("other");
        await using var other = await StartAsync(otherOptions);
        await cache.SetAsync("kept-on-disk", new Page("on disk", 4, []));

        // The clear's message reaches this process (its memory copy goes); it moves no horizon.
        await other.ClearAsync(CacheTiers.Memory | CacheTiers.Redis);
        await Eventually.TrueAsync(
            () => !cache.TryGetMemory(CacheKey.FromString("kept-on-disk").Canonical, out Page _), "the clear to reach this process",
            between: async () => await other.ClearAsync(CacheTiers.Memory | CacheTiers.Redis));
        var found = await cache.GetAsync<Page>("kept-on-disk");

        Assert.True(found.HasValue);
        Assert.Equal("on disk", found.Value!.Text);
        Assert.Equal(1, cache.GetStats()["disk"]!.Hits);
        TestEnvironment.DeleteFolder(otherOptions.DiskCachePath);
    }

    [Fact]
    public async Task Clear_removes_only_this_caches_prefix()
    {
        await using var cache = await StartAsync(Options());
        var otherOptions = Options();
        otherOptions.Redis.KeyPrefix = redis.UniquePrefix();
        otherOptions.DiskCachePath = TestEnvironment.NewTempFolder("other");
        await using var other = await StartAsync(otherOptions);
        await cache.SetAsync("a", 1);
        await cache.SetAsync("b", 2);
        await other.SetAsync("a", 100);

        var removed = await cache.ClearAsync(CacheTiers.Redis);

        Assert.Equal(2, removed);
        await other.ClearAsync(CacheTiers.Memory);
        Assert.Equal(100, (await other.GetAsync<int>("a")).Value);
        TestEnvironment.DeleteFolder(otherOptions.DiskCachePath);
    }

    [Fact]
    public async Task S3_is_the_persistent_tier_on_aws_batch_and_promotes_upward()
    {
        var options = Options();
        options.BatchJobId = "job-" + Guid.NewGuid().ToString("N")[..8];
        options.S3.Bucket = s3.Bucket;
        options.S3.ServiceUrl = s3.ServiceUrl;
        options.S3.CompatibilityMode = true;
        options.S3StoreFactory = (o, loggers) => new S3CacheStore(o.S3, o.BatchJobId, loggers.CreateLogger<S3CacheStore>(), new BasicAWSCredentials("S3RVER", "S3RVER"));
        var words = Enumerable.Range(0, 20_000).Select(i => $"word{i}").ToArray();

        await using (var writer = await StartAsync(options))
        {
            Assert.Equal(CacheEnvironment.AwsBatch, writer.CacheEnvironment);
            Assert.Equal("s3", writer.PersistentStore!.Name);
            await writer.SetAsync("big-page", new Page("large", 9, words));
            await writer.ClearAsync(CacheTiers.Memory | CacheTiers.Redis);
        }

        await using var cache = await StartAsync(options);
        var found = await cache.GetAsync<Page>("big-page");

        Assert.True(found.HasValue);
        Assert.Equal(words, found.Value!.Words);
        Assert.Equal(1, cache.GetStats()["s3"]!.Hits);
        Assert.Equal("HIT large", await Peer.RunAsync(redis.Url, _prefix, TestEnvironment.NewTempFolder("peer"), "get", "big-page"));
    }

    [Fact]
    public async Task Synchronous_writes_reach_s3_through_the_background_queue()
    {
        var options = Options();
        options.S3.Bucket = s3.Bucket;
        options.S3.ServiceUrl = s3.ServiceUrl;
        options.S3.CompatibilityMode = true;
        options.S3.KeyPrefix = $"sync-{Guid.NewGuid():N}/";
        options.S3StoreFactory = (o, loggers) => new S3CacheStore(o.S3, o.BatchJobId, loggers.CreateLogger<S3CacheStore>(), new BasicAWSCredentials("S3RVER", "S3RVER"));

        await using (var writer = await StartAsync(options))
        {
            writer.Set("sync-page", new Page("sync", 1, []));
        }

        await using var reader = await StartAsync(options);
        await reader.ClearAsync(CacheTiers.Redis | CacheTiers.Memory);
        var found = await reader.GetAsync<Page>("sync-page");

        Assert.True(found.HasValue);
        Assert.Equal(1, reader.GetStats()["s3"]!.Hits);
    }

    private CacheOptions Options()
    {
        var options = new CacheOptions { DiskCachePath = _disk }.UseRedis();
        options.Redis.Url = redis.Url;
        options.Redis.KeyPrefix = _prefix;
        return options;
    }

    private static async Task<CacheManager> StartAsync(CacheOptions options, ILoggerFactory? loggers = null)
    {
        var cache = new CacheManager(options, loggers ?? NullLoggerFactory.Instance);
        await Eventually.TrueAsync(() => !options.Redis.IsConfigured || cache.RedisStore is not null, "Redis to connect");
        return cache;
    }

    private static async Task<TimeSpan?> RedisTtlAsync(CacheManager cache, string key)
    {
        var store = (RedisCacheStore)cache.RedisStore!;
        var storageId = CacheKey.FromString(key).StorageId;
        return await store.Connection.GetDatabase(cache.Options.Redis.Database).KeyTimeToLiveAsync(store.GetRedisKey(storageId));
    }
}
