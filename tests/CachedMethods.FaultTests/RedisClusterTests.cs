using CachedMethods.FaultTests.Fixtures;
using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging;

namespace CachedMethods.FaultTests;

/// <summary>
/// The Redis tier against a real three-primary cluster: entries spread over every node, the prefix clear
/// reaches every node and nothing else, and the Lua scripts, the locks and the coherence channel work.
/// </summary>
public sealed class RedisClusterTests(RedisClusterFixture cluster, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>, IDisposable
{
    private readonly string _disk = TestEnvironment.NewTempFolder("cluster");
    private readonly string _prefix = $"cl{Guid.NewGuid():N}:";

    public void Dispose() => TestEnvironment.DeleteFolder(_disk);

    [Fact]
    public async Task Entries_spread_over_every_node_and_the_prefix_clear_removes_them_all_and_nothing_else()
    {
        var logs = new LogCollector();
        await using var cache = Cache(logs, memory: false);
        Assert.True(await Eventually.HoldsAsync(() => cache.RedisStore is not null, 30), logs.ToString());
        for (var i = 0; i < 12; i++)
        {
            // Foreign keys, spread over the nodes, that the clear must leave alone.
            await cluster.CliAsync("SET", $"{_prefix[..^1]}-other-{i}", "keep");
        }

        for (var i = 0; i < 60; i++)
        {
            await cache.SetAsync($"key{i}", i);
        }

        var perNode = await Task.WhenAll(cluster.Nodes.Select(n => n.CliAsync("--scan", "--pattern", _prefix + "*")));
        Assert.All(perNode, keys => Assert.NotEmpty(keys.Trim()));
        Assert.Equal(60, (await cluster.KeysAsync(_prefix + "*")).Count(k => k != _prefix + "horizon" && k != _prefix + "sequence"));

        Assert.Equal(60, await cache.ClearAsync(CacheTiers.Redis));

        // Only the clear horizon and the message counter may stay: a clear moves the one, and must not reset the other.
        Assert.DoesNotContain(await cluster.KeysAsync(_prefix + "*"), k => k != _prefix + "horizon" && k != _prefix + "sequence");
        Assert.Equal(12, (await cluster.KeysAsync(_prefix[..^1] + "-other-*")).Count);

        Assert.Equal(0, cache.GetStats()["redis"]!.Errors);
    }

    [Fact]
    public async Task Locks_lua_scripts_tags_and_the_coherence_channel_work_across_the_cluster()
    {
        var logs = new LogCollector();
        await using var a = Cache(logs, memory: true);
        await using var b = Cache(logs, memory: true);
        Assert.True(await Eventually.HoldsAsync(() => a.RedisStore is not null && b.RedisStore is not null, 30), logs.ToString());

        // Distributed single-flight: the lock (SET NX), its release (a Lua compare-and-delete) and the release message.
        var runs = 0;
        var fleet = new CacheEntryOptions { DistributedSingleFlight = true };
        async ValueTask<int> Slow(CancellationToken token)
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(500, token);
            return 42;
        }

        var results = await Task.WhenAll(a.GetOrCreateAsync("shared", Slow, fleet).AsTask(), b.GetOrCreateAsync("shared", Slow, fleet).AsTask());
        Assert.Equal([42, 42], results);
        Assert.Equal(1, runs);

        // Coherence: b holds a memory copy; a's write reaches b through the channel and drops it.
        await a.SetAsync("coherent", "v1");
        Assert.Equal("v1", (await b.GetAsync<string>("coherent")).Value);
        await a.SetAsync("coherent", "v2");
        Assert.True(await Eventually.HoldsAsync(() => b.Get<string>("coherent").Value == "v2", 30));

        // Tag invalidation: the Lua script that records the tag time runs on the tag key's node.
        await a.SetAsync("doc:7:page", "text");
        Assert.Equal("text", (await b.GetAsync<string>("doc:7:page")).Value);
        await a.InvalidatePrefixAsync("doc:7:");
        Assert.True(await Eventually.HoldsAsync(() => !b.Get<string>("doc:7:page").HasValue, 30));
        await using var fresh = Cache(logs, memory: true);
        Assert.False((await fresh.GetAsync<string>("doc:7:page")).HasValue);

        output.WriteLine(logs.ToString());
        Assert.Equal(0, a.GetStats()["redis"]!.Errors + b.GetStats()["redis"]!.Errors);
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    private CacheManager Cache(ILoggerFactory logs, bool memory)
    {
        var options = new CacheOptions { DiskCachePath = Path.Combine(_disk, Guid.NewGuid().ToString("N")), MemoryCacheSizeMb = memory ? 16 : 0, DiskCacheSizeGb = 0 }.UseRedis();
        options.Redis.Url = cluster.Url;
        options.Redis.KeyPrefix = _prefix;
        options.Redis.ConnectTimeoutMs = 5000;
        options.Redis.OperationTimeoutMs = 2000;
        return new CacheManager(options, logs);
    }
}
