using System.Diagnostics;
using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CachedMethods.IntegrationTests;

/// <summary>Redis is killed mid-test and restarted on the same port: the pipeline never notices.</summary>
public sealed class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _disk = TestEnvironment.NewTempFolder("outage");
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TestEnvironment.DeleteFolder(_disk);
    }

    [Fact]
    public async Task No_call_throws_or_hangs_while_redis_is_down_and_the_tier_recovers_after_restart()
    {
        var options = new CacheOptions { DiskCachePath = _disk, MemoryCacheSizeMb = 0 }.UseRedis();
        options.Redis.Url = _server.Url;
        options.Redis.KeyPrefix = "outage:";
        await using var cache = new CacheManager(options);
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "Redis to connect");
        await cache.SetAsync("before", new Page("before the outage", 1, []));

        await _server.StopAsync();

        var slowest = TimeSpan.Zero;
        var factoryRuns = 0;
        for (var i = 0; i < 25; i++)
        {
            slowest = Max(slowest, await Timed(async () => Assert.Equal("before the outage", (await cache.GetAsync<Page>("before")).Value!.Text)));
            slowest = Max(slowest, await Timed(async () => await cache.SetAsync($"during-{i}", i)));
            slowest = Max(slowest, await Timed(() => { cache.Set($"sync-{i}", i); return Task.CompletedTask; }));
            slowest = Max(slowest, await Timed(() => { Assert.Equal(i, cache.Get<int>($"sync-{i}").Value); return Task.CompletedTask; }));
            slowest = Max(slowest, await Timed(async () =>
                Assert.Equal(i * 2, await cache.GetOrCreateAsync($"computed-{i}", _ => { factoryRuns++; return new ValueTask<int>(i * 2); }))));
            slowest = Max(slowest, await Timed(async () => await cache.DeleteAsync($"during-{i}")));
        }

        Assert.Null(cache.RedisStore);
        Assert.Equal(25, factoryRuns);
        Assert.True(cache.GetStats()["redis"]!.Errors + cache.GetStats()["redis"]!.Misses > 0);
        output.WriteLine($"slowest call with Redis down: {slowest.TotalMilliseconds:F0} ms (operation timeout {options.Redis.OperationTimeoutMs} ms)");

        await _server.StartAsync();
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "the Redis tier to recover", TimeSpan.FromSeconds(90),
            between: async () => await cache.GetAsync<int>("probe"));

        // The first write after the restart can still time out on a busy machine, and a value stamped in the
        // restarted server's first second can fall before its clear horizon (whole seconds of uptime), which
        // makes it a miss, never a wrong hit: write until another process reads it through Redis.
        var read = "";
        await Eventually.TrueAsync(() => read == "HIT after the outage", "another process to read the value through Redis", TimeSpan.FromSeconds(90), async () =>
        {
            await cache.SetAsync("after", new Page("after the outage", 2, []));
            read = await Peer.RunAsync(_server.Url, "outage:", TestEnvironment.NewTempFolder("peer"), "get", "after");
        });
        Assert.Equal("HIT after the outage", read);
    }

    [Fact]
    public async Task A_cache_started_while_redis_is_down_has_no_redis_tier_and_connects_later()
    {
        await _server.StopAsync();
        var options = new CacheOptions { DiskCachePath = _disk }.UseRedis();
        options.Redis.Url = _server.Url;
        options.Redis.KeyPrefix = "late:";
        await using var cache = new CacheManager(options);

        Assert.Null(cache.RedisStore);
        Assert.Equal(7, await cache.GetOrCreateAsync("k", _ => new ValueTask<int>(7)));

        await _server.StartAsync();
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "a background reconnect", TimeSpan.FromSeconds(90),
            between: async () => await cache.GetAsync<int>("probe"));
        // On a busy machine the first write after the reconnect can still time out (it is then local only):
        // write until another process reads it, which only a Redis that took it can give.
        var read = "";
        await Eventually.TrueAsync(() => read == "HIT late", "another process to read the value through Redis", TimeSpan.FromSeconds(90), async () =>
        {
            await cache.SetAsync("k2", new Page("late", 1, []));
            read = await Peer.RunAsync(_server.Url, "late:", TestEnvironment.NewTempFolder("peer"), "get", "k2");
        });
        Assert.Equal("HIT late", read);
    }

    [Fact]
    public async Task A_synchronous_read_from_a_stalled_redis_ends_at_its_operation_timeout_and_falls_through_to_disk()
    {
        var options = new CacheOptions { DiskCachePath = _disk, MemoryCacheSizeMb = 0 }.UseRedis();
        options.Redis.Url = _server.Url;
        options.Redis.KeyPrefix = "stall:";
        options.Redis.OperationTimeoutMs = 250;
        await using var cache = new CacheManager(options);
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "Redis to connect");
        cache.Set("page", "kept on disk too");
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_server.Port}");

        // The server stops answering every client for 5 s: a hung Redis, not a dead one.
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "5000", "ALL");
        var read = await Task.Run(() => cache.Get<string>("page")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("kept on disk too", read.Value);
        Assert.True(cache.GetStats()["redis"]!.Errors >= 1);
        Assert.Equal(1, cache.GetStats()["disk"]!.Hits);
    }

    private static async Task<TimeSpan> Timed(Func<Task> call)
    {
        var clock = Stopwatch.StartNew();
        // A watchdog, not a timing assertion: a hung call fails the test instead of hanging the run.
        await call().WaitAsync(TimeSpan.FromSeconds(30));
        return clock.Elapsed;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
