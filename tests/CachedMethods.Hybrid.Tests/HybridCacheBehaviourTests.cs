using CachedMethods.TestSupport;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Hybrid.Tests;

/// <summary>HybridCache's documented contract, checked through CachedMethodsHybridCache over real Redis and disk.</summary>
[Collection(RedisFixture.Collection)]
public sealed class HybridCacheBehaviourTests(RedisFixture redis) : IAsyncLifetime
{
    private Engines _engines = null!;

    public Task InitializeAsync()
    {
        _engines = new Engines(redis);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _engines.DisposeAsync();

    [Fact]
    public async Task GetOrCreate_without_state_runs_the_factory_once_and_serves_the_value_after()
    {
        var cache = _engines.New();
        var runs = 0;

        var first = await cache.GetOrCreateAsync("page:1", _ => { runs++; return ValueTask.FromResult("text 1"); });
        var second = await cache.GetOrCreateAsync("page:1", _ => { runs++; return ValueTask.FromResult("other"); });

        Assert.Equal(("text 1", "text 1", 1), (first, second, runs));
    }

    [Fact]
    public async Task GetOrCreate_with_state_hands_the_state_to_the_factory()
    {
        var cache = _engines.New();

        var value = await cache.GetOrCreateAsync("doc:7", (Id: 7, Dpi: 300), static (s, _) => ValueTask.FromResult($"{s.Id}@{s.Dpi}"));
        var again = await cache.GetOrCreateAsync("doc:7", (Id: 0, Dpi: 0), static (s, _) => ValueTask.FromResult("recomputed"));

        Assert.Equal(("7@300", "7@300"), (value, again));
    }

    [Fact]
    public async Task Concurrent_callers_of_one_key_share_one_factory_run()
    {
        var cache = _engines.New();
        var runs = 0;
        var gate = new TaskCompletionSource();

        var callers = Enumerable.Range(0, 8).Select(_ => cache.GetOrCreateAsync("slow", async ct =>
        {
            Interlocked.Increment(ref runs);
            await gate.Task.WaitAsync(ct);
            return 42;
        }).AsTask()).ToList();
        gate.SetResult();

        Assert.All(await Task.WhenAll(callers), v => Assert.Equal(42, v));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_value_from_one_process_is_served_to_another_through_Redis()
    {
        var a = _engines.New();
        var b = _engines.New();

        await a.GetOrCreateAsync("shared", _ => ValueTask.FromResult("from a"));
        var seen = await b.GetOrCreateAsync("shared", _ => ValueTask.FromResult("from b"));

        Assert.Equal("from a", seen);
        Assert.Equal(1, Engines.Engine(b).GetStats()["redis"]!.Hits);
    }

    [Fact]
    public async Task SetAsync_overwrites_and_the_next_read_returns_it_without_the_factory()
    {
        var cache = _engines.New();
        await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("old"));

        await cache.SetAsync("k", "new");
        var read = await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory"));

        Assert.Equal("new", read);
        Assert.Equal("new", (await Engines.Engine(cache).GetAsync<string>(CacheKey.FromString("k"))).Value);
    }

    [Fact]
    public async Task RemoveAsync_drops_the_entry_from_every_tier_and_every_process()
    {
        var a = _engines.New();
        var b = _engines.New();
        await a.SetAsync("gone", "v");
        Assert.Equal("v", await b.GetOrCreateAsync("gone", _ => ValueTask.FromResult("b")));

        await a.RemoveAsync("gone");

        Assert.False(await _engines.InRedisAsync("gone"));
        Assert.Equal("fresh", await a.GetOrCreateAsync("gone", _ => ValueTask.FromResult("fresh")));
        // b held it in memory; the removal reaches it through Redis.
        Assert.True(await Engines.EventuallyAsync(async () =>
            (await Engines.Engine(b).GetAsync<string>(CacheKey.FromString("gone"))).Value != "v"));
    }

    [Fact]
    public async Task RemoveByTagAsync_invalidates_tagged_entries_everywhere_and_keeps_the_rest()
    {
        var a = _engines.New();
        var b = _engines.New();
        await a.SetAsync("p1", "one", tags: ["doc:1"]);
        await a.GetOrCreateAsync("p2", _ => ValueTask.FromResult("two"), tags: ["doc:1", "ocr"]);
        await a.SetAsync("p3", "three", tags: ["doc:2"]);
        Assert.Equal("one", await b.GetOrCreateAsync("p1", _ => ValueTask.FromResult("b")));

        await a.RemoveByTagAsync("doc:1");

        Assert.Equal("recomputed", await a.GetOrCreateAsync("p1", _ => ValueTask.FromResult("recomputed")));
        Assert.Equal("recomputed", await a.GetOrCreateAsync("p2", _ => ValueTask.FromResult("recomputed")));
        Assert.Equal("three", await a.GetOrCreateAsync("p3", _ => ValueTask.FromResult("recomputed")));
        Assert.True(await Engines.EventuallyAsync(async () =>
            await b.GetOrCreateAsync("p1", _ => ValueTask.FromResult("b again")) != "one"));
    }

    [Fact]
    public async Task RemoveByTagAsync_with_the_wildcard_removes_every_entry()
    {
        var cache = _engines.New();
        await cache.SetAsync("x", 1, tags: ["a"]);
        await cache.SetAsync("y", 2);

        await cache.RemoveByTagAsync("*");

        Assert.False(await _engines.InRedisAsync("x"));
        Assert.Equal((0, 0), (await cache.GetOrCreateAsync("x", _ => ValueTask.FromResult(0)), await cache.GetOrCreateAsync("y", _ => ValueTask.FromResult(0))));
    }

    [Fact]
    public async Task DisableLocalCache_keeps_the_entry_out_of_memory_but_in_Redis_and_on_disk()
    {
        var cache = _engines.New();
        var options = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache };

        await cache.SetAsync("remote-only", "v", options);

        Assert.Equal(0, Engines.Entries(cache, "memory"));
        Assert.True(await _engines.InRedisAsync("remote-only"));
        Assert.Equal(1, Engines.Entries(cache, "disk"));
        Assert.Equal("v", await cache.GetOrCreateAsync("remote-only", _ => ValueTask.FromResult("factory"), options));
    }

    [Fact]
    public async Task DisableDistributedCache_keeps_the_entry_in_this_process_only()
    {
        var cache = _engines.New();
        var other = _engines.New();
        var options = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCache };

        await cache.GetOrCreateAsync("local-only", _ => ValueTask.FromResult("v"), options);

        Assert.Equal(1, Engines.Entries(cache, "memory"));
        Assert.False(await _engines.InRedisAsync("local-only"));
        Assert.Equal(0, Engines.Entries(cache, "disk"));
        Assert.Equal("other", await other.GetOrCreateAsync("local-only", _ => ValueTask.FromResult("other")));
    }

    [Fact]
    public async Task DisableUnderlyingData_never_runs_the_factory()
    {
        var cache = _engines.New();
        var options = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData };
        var runs = 0;

        var missing = await cache.GetOrCreateAsync("absent", _ => { runs++; return ValueTask.FromResult("factory"); }, options);
        await cache.SetAsync("present", "stored");
        var present = await cache.GetOrCreateAsync("present", _ => { runs++; return ValueTask.FromResult("factory"); }, options);

        Assert.Equal((null, "stored", 0), (missing, present, runs));
        Assert.False(await _engines.InRedisAsync("absent"));
    }

    [Fact]
    public async Task DisableCompression_is_accepted_and_the_value_round_trips_through_Redis()
    {
        var writer = _engines.New();
        var reader = _engines.New();
        var text = new string('a', 64 * 1024);

        await writer.SetAsync("big", text, new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableCompression });

        Assert.Equal(text, await reader.GetOrCreateAsync("big", _ => ValueTask.FromResult("factory")));
    }

    [Fact]
    public async Task Expiration_is_the_entry_ttl_in_Redis()
    {
        var cache = _engines.New();

        await cache.SetAsync("short", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(90) });
        await cache.SetAsync("default", "v");

        var shortTtl = await _engines.RedisTimeToLiveAsync("short");
        var defaultTtl = await _engines.RedisTimeToLiveAsync("default");
        Assert.InRange(shortTtl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(90));
        // Without Expiration the engine's DefaultTtlSeconds (3600) applies.
        Assert.InRange(defaultTtl!.Value, TimeSpan.FromSeconds(91), TimeSpan.FromSeconds(3600));
    }

    [Fact]
    public async Task An_expired_entry_is_computed_again()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cache = _engines.New(clock, withRedis: false);
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) };
        var runs = 0;
        ValueTask<int> Factory(CancellationToken _) => ValueTask.FromResult(++runs);

        await cache.GetOrCreateAsync("ttl", Factory, options);
        clock.Advance(TimeSpan.FromSeconds(59));
        var fresh = await cache.GetOrCreateAsync("ttl", Factory, options);
        clock.Advance(TimeSpan.FromSeconds(2));
        var expired = await cache.GetOrCreateAsync("ttl", Factory, options);

        Assert.Equal((1, 2), (fresh, expired));
    }

    [Fact]
    public async Task AddCachedMethodsHybridCache_registers_HybridCache_over_the_containers_engine()
    {
        var folder = TestEnvironment.NewTempFolder("hybrid-di");
        try
        {
            await using var provider = new ServiceCollection()
                .AddCachedMethods(o => o.DiskCachePath = folder)
                .AddCachedMethodsHybridCache()
                .BuildServiceProvider();

            var hybrid = Assert.IsType<CachedMethodsHybridCache>(provider.GetRequiredService<HybridCache>());
            Assert.Same(provider.GetRequiredService<CacheManager>(), hybrid.Engine);
            await hybrid.SetAsync("di", "value");
            Assert.Equal("value", (await hybrid.Engine.GetAsync<string>("di")).Value);
        }
        finally
        {
            TestEnvironment.DeleteFolder(folder);
        }
    }
}
