using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Faults;

/// <summary>
/// A failing Redis tier, injected with <see cref="ChaosStore"/> through <see cref="CacheOptions.RedisStoreFactory"/>:
/// no failure reaches the caller, hung calls end at the guard's timeout, and the circuit opens and closes.
/// </summary>
public sealed class FaultInjectionTests : IDisposable
{
    /// <summary>Only a safety net against a hung test; no assertion depends on how long anything took.</summary>
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new("faults");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();

    public void Dispose() => _folder.Dispose();

    private CacheManager NewCache(ICacheStore redis, TimeProvider? time = null, bool disk = true) =>
        new(TestOptions.Create(time ?? _time, disk ? _folder.Path : null, o => o.UseFakeRedis(redis, operationTimeoutMs: 100)));

    public static TheoryData<string> Operations =>
    [
        "Get", "TryGet", "GetAsync", "Set", "SetAsync", "GetOrCreate", "GetOrCreateAsync",
        "Delete", "DeleteAsync", "Clear", "ClearAsync",
    ];

    /// <summary>Runs one public operation; returns the value a read or get-or-create produced.</summary>
    private static async Task<string?> Run(CacheManager cache, string operation)
    {
        switch (operation)
        {
            case "Get": return cache.Get<string>("k").Value;
            case "TryGet": return cache.TryGet("k", out string? value) ? value : null;
            case "GetAsync": return (await cache.GetAsync<string>("k")).Value;
            case "Set": cache.Set("k", "set"); return null;
            case "SetAsync": await cache.SetAsync("k", "set"); return null;
            case "GetOrCreate": return cache.GetOrCreate("k", () => "created");
            case "GetOrCreateAsync": return await cache.GetOrCreateAsync("k", _ => new ValueTask<string>("created"));
            case "Delete": cache.Delete("k"); return null;
            case "DeleteAsync": await cache.DeleteAsync("k"); return null;
            case "Clear": cache.Clear(); return null;
            case "ClearAsync": await cache.ClearAsync(); return null;
            default: throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_throwing_redis_tier_never_reaches_the_caller(string operation)
    {
        var redis = new ChaosStore(ChaosMode.Throw);
        using var cache = NewCache(redis);

        var result = await Run(cache, operation);

        Assert.True(redis.Calls > 0, $"{operation} never reached the Redis tier.");
        Assert.True(cache.GetStats()["redis"]!.Errors > 0, $"{operation}: the failure was not counted.");
        if (operation.StartsWith("GetOrCreate", StringComparison.Ordinal))
        {
            Assert.Equal("created", result);
        }
    }

    [Fact]
    public async Task With_a_throwing_redis_tier_the_other_tiers_keep_working()
    {
        var redis = new ChaosStore(ChaosMode.Throw);
        using var cache = NewCache(redis);

        cache.Set("k", "v");
        cache.Clear(CacheTiers.Memory);

        Assert.Equal("v", cache.Get<string>("k").Value); // from disk
        Assert.Equal("v", (await cache.GetAsync<string>("k")).Value); // from memory
        Assert.Equal(1, cache.PersistentStore!.GetUsage().Entries);
        Assert.Contains("redis", cache.GetStats().ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> AsyncOperations => ["GetAsync", "SetAsync", "GetOrCreateAsync", "DeleteAsync", "ClearAsync"];

    [Theory]
    [MemberData(nameof(AsyncOperations))]
    public async Task A_hanging_redis_tier_is_cut_off_by_the_guard_timeout(string operation)
    {
        var redis = new ChaosStore(ChaosMode.Hang);
        using var cache = NewCache(redis, disk: false);

        var call = Run(cache, operation);
        // The guard's timeouts run on the fake clock: move it on until every hung call has given up.
        for (var i = 0; i < 3_000 && !call.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(call, Task.Delay(10));
        }

        Assert.True(call.IsCompleted, $"{operation} is still waiting for a store that never answers.");
        var result = await call;
        Assert.True(redis.Calls > 0);
        Assert.True(cache.GetStats()["redis"]!.Errors > 0);
        if (operation == "GetOrCreateAsync")
        {
            Assert.Equal("created", result);
        }
    }

    [Fact]
    public async Task A_hanging_redis_tier_times_out_on_the_real_clock_too()
    {
        var redis = new ChaosStore(ChaosMode.Hang);
        using var cache = NewCache(redis, TimeProvider.System, disk: false);

        var value = await cache.GetOrCreateAsync("k", _ => new ValueTask<string>("created")).AsTask().WaitAsync(Safety);
        await cache.SetAsync("other", "v").AsTask().WaitAsync(Safety);

        Assert.Equal("created", value);
        Assert.Equal(3, cache.GetStats()["redis"]!.Errors);
        Assert.Null(cache.RedisStore);
    }

    [Fact]
    public void The_circuit_opens_after_three_failures_and_a_successful_probe_closes_it()
    {
        var redis = new ChaosStore(ChaosMode.Throw);
        using var cache = NewCache(redis, disk: false);
        Assert.NotNull(cache.RedisStore);

        for (var i = 0; i < 3; i++)
        {
            Assert.False(cache.Get<string>($"miss-{i}").HasValue);
        }

        Assert.Null(cache.RedisStore);
        Assert.False(cache.GetStats()["redis"]!.Available);
        var callsWhenOpened = redis.Calls;
        Assert.Equal(3, callsWhenOpened);

        for (var i = 0; i < 5; i++)
        {
            cache.Get<string>($"skipped-{i}");
            cache.Set($"skipped-{i}", "v");
        }

        Assert.Equal(callsWhenOpened, redis.Calls); // an open circuit costs the store nothing

        redis.Mode = ChaosMode.Pass;
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.Get<string>("probe").HasValue);

        Assert.Equal(callsWhenOpened + 1, redis.Calls);
        Assert.NotNull(cache.RedisStore);
        Assert.True(cache.GetStats()["redis"]!.Available);
        cache.Set("after", "v");
        Assert.Equal(callsWhenOpened + 2, redis.Calls);
    }

    [Fact]
    public async Task A_failed_probe_keeps_the_circuit_open()
    {
        var redis = new ChaosStore(ChaosMode.Throw);
        using var cache = NewCache(redis, disk: false);
        for (var i = 0; i < 3; i++)
        {
            await cache.GetAsync<string>($"miss-{i}");
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync<string>("probe");
        Assert.Equal(4, redis.Calls);
        Assert.Null(cache.RedisStore);

        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync<string>("too early");
        Assert.Equal(4, redis.Calls);

        redis.Mode = ChaosMode.Pass;
        _time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync<string>("second probe");
        Assert.Equal(5, redis.Calls);
        Assert.NotNull(cache.RedisStore);
    }

    [Fact]
    public void A_redis_store_that_cannot_be_created_leaves_the_tier_off()
    {
        var options = TestOptions.Create(_time, _folder.Path, o =>
        {
            o.Redis.Host = "fake";
            o.RedisStoreFactory = (_, _) => throw new IOException("no route to host");
        });
        using var cache = new CacheManager(options);

        Assert.Null(cache.RedisStore);
        Assert.Equal("created", cache.GetOrCreate("k", () => "created"));
        Assert.Equal("created", cache.Get<string>("k").Value);
    }
}
