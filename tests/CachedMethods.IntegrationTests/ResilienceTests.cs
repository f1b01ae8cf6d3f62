using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>Fail-safe, timeouts, refresh-ahead and size admission, over real Redis and disk, on a fake clock.</summary>
public sealed class ResilienceTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly string _disk = TestEnvironment.NewTempFolder("resilience");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly LogCollector _logs = new();
    private CacheManager _cache = null!;

    public async Task InitializeAsync()
    {
        var options = new CacheOptions { DiskCachePath = _disk, TimeProvider = _time, MaxMemoryEntryBytes = 4096, MaxRedisEntryBytes = 64 * 1024 }.UseRedis();
        options.Redis.Url = redis.Url;
        options.Redis.KeyPrefix = redis.UniquePrefix();
        options.Redis.OperationTimeoutMs = 5000;
        _cache = new CacheManager(options, _logs);
        await Eventually.TrueAsync(() => _cache.RedisStore is not null, "Redis to connect");
    }

    public async Task DisposeAsync()
    {
        await _cache.DisposeAsync();
        TestEnvironment.DeleteFolder(_disk);
    }

    private static CacheEntryOptions FailSafe(TimeSpan? soft = null, TimeSpan? hard = null) => new()
    {
        Ttl = TimeSpan.FromMinutes(1),
        FailSafeMaxStaleness = TimeSpan.FromHours(1),
        SoftTimeout = soft,
        HardTimeout = hard,
    };

    [Fact]
    public async Task A_throwing_factory_serves_the_stale_value_within_the_fail_safe_window()
    {
        Assert.Equal("v1", await _cache.GetOrCreateAsync("page", _ => new ValueTask<string>("v1"), FailSafe()));
        _time.Advance(TimeSpan.FromMinutes(5));

        var value = await _cache.GetOrCreateAsync<string>("page", _ => throw new InvalidOperationException("GPU lost"), FailSafe());

        Assert.Equal("v1", value);
    }

    [Fact]
    public async Task A_stale_value_survives_below_memory_for_fail_safe()
    {
        Assert.Equal("v1", await _cache.GetOrCreateAsync("page-low", _ => new ValueTask<string>("v1"), FailSafe()));
        await _cache.ClearAsync(CacheTiers.Memory);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.False((await _cache.GetAsync<string>("page-low")).HasValue);
        Assert.Equal("v1", await _cache.GetOrCreateAsync<string>("page-low", _ => throw new InvalidOperationException("GPU lost"), FailSafe()));
    }

    [Fact]
    public async Task Without_a_stale_value_the_factory_exception_propagates()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await _cache.GetOrCreateAsync<string>("never-cached", _ => throw new InvalidOperationException("GPU lost"), FailSafe()));
    }

    [Fact]
    public async Task Past_the_fail_safe_window_the_exception_propagates()
    {
        await _cache.GetOrCreateAsync("old-page", _ => new ValueTask<string>("v1"), FailSafe());
        _time.Advance(TimeSpan.FromHours(2));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await _cache.GetOrCreateAsync<string>("old-page", _ => throw new InvalidOperationException("GPU lost"), FailSafe()));
    }

    [Fact]
    public async Task A_soft_timeout_serves_stale_and_the_slow_factory_refreshes_the_entry_in_the_background()
    {
        await _cache.GetOrCreateAsync("slow", _ => new ValueTask<string>("v1"), FailSafe(soft: TimeSpan.FromSeconds(2)));
        _time.Advance(TimeSpan.FromMinutes(5));
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = _cache.GetOrCreateAsync("slow", async _ => await release.Task, FailSafe(soft: TimeSpan.FromSeconds(2))).AsTask();
        await Eventually.TrueAsync(() => { _time.Advance(TimeSpan.FromMilliseconds(500)); return call.IsCompleted; }, "the soft timeout");

        Assert.Equal("v1", await call);
        release.SetResult("v2");
        await Eventually.TrueAsync(() => _cache.TryGet("slow", out string? fresh) && fresh == "v2", "the background result to be stored");
    }

    [Fact]
    public async Task A_hard_timeout_without_a_stale_value_throws_and_the_result_is_cached_later()
    {
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new CacheEntryOptions { HardTimeout = TimeSpan.FromSeconds(3) };

        var call = _cache.GetOrCreateAsync("hard", async _ => await release.Task, options).AsTask();
        await Eventually.TrueAsync(() => { _time.Advance(TimeSpan.FromSeconds(1)); return call.IsCompleted; }, "the hard timeout");

        await Assert.ThrowsAsync<TimeoutException>(() => call);
        release.SetResult("late");
        await Eventually.TrueAsync(() => _cache.TryGet("hard", out string? late) && late == "late", "the late result to be stored");
    }

    [Fact]
    public async Task Refresh_ahead_returns_the_current_value_at_once_and_refreshes_once_under_concurrent_hits()
    {
        var runs = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new CacheEntryOptions { Ttl = TimeSpan.FromMinutes(10), RefreshAheadFraction = 0.5 };
        async ValueTask<string> Factory(CancellationToken _)
        {
            var run = Interlocked.Increment(ref runs);
            if (run > 1)
            {
                await gate.Task;
            }

            return $"v{run}";
        }

        Assert.Equal("v1", await _cache.GetOrCreateAsync("hot", Factory, options));
        _time.Advance(TimeSpan.FromMinutes(6));

        var hits = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => _cache.GetOrCreateAsync("hot", Factory, options).AsTask()));

        Assert.All(hits, value => Assert.Equal("v1", value));
        gate.SetResult();
        await Eventually.TrueAsync(() => _cache.TryGet("hot", out string? now) && now == "v2", "the refreshed value");
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Large_values_skip_memory_and_redis_and_are_served_from_disk()
    {
        // Random bytes: LZ4 cannot shrink them below the limits, as it would a run of one character.
        var large = new byte[100 * 1024];
        new Random(42).NextBytes(large);
        var small = "small";

        await _cache.SetAsync("large", large);
        await _cache.SetAsync("small", small);

        var stats = _cache.GetStats();
        Assert.Equal(1, stats["memory"]!.SkippedBySize);
        Assert.Equal(1, stats["redis"]!.SkippedBySize);
        Assert.False(_cache.TryGetMemory(CacheKey.FromString("large").Canonical, out byte[] _));
        Assert.True(_cache.TryGetMemory(CacheKey.FromString("small").Canonical, out string _));
        var read = await _cache.GetAsync<byte[]>("large");
        Assert.True(read.HasValue, $"a miss; {_cache.GetStats()}\n{_logs}");
        Assert.Equal(large, read.Value);
        Assert.Equal(1, _cache.GetStats()["disk"]!.Hits);
        // Not promoted into memory either.
        Assert.False(_cache.TryGetMemory(CacheKey.FromString("large").Canonical, out byte[] _));
    }
}
