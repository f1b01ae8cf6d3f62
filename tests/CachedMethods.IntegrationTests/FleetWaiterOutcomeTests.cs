using System.Diagnostics;
using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// How a waiter's wait for another process's computation ended, counted in <c>cachedmethods.fleet.computations</c>:
/// two engines on one real redis-server and key prefix stand in for a holder and a waiter process.
/// </summary>
public sealed class FleetWaiterOutcomeTests : FleetTestBase
{
    private const string Computations = "cachedmethods.fleet.computations";
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(90);

    private readonly string _holderName = $"holder-{Guid.NewGuid():N}";
    private readonly string _waiterName = $"waiter-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_waiter_counts_its_soft_timeout_its_hard_timeout_and_its_takeover()
    {
        await using var holder = await StartEngineAsync(_holderName);
        await using var waiter = await StartEngineAsync(_waiterName);
        using var metrics = new MetricsRecorder(_waiterName);
        using var spans = new SpanRecorder();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Soft: the waiter holds an expired value kept for fail-safe; its 300 ms soft timeout comes long before the holder ends.
        await waiter.SetAsync(CacheKey.FromString("k-soft"), "old", new CacheEntryOptions { Ttl = TimeSpan.FromMilliseconds(1), FailSafeMaxStaleness = TimeSpan.FromMinutes(10) });
        await Task.Delay(50);
        var soft = await StartHeldAsync(holder, "k-soft", gate.Task);
        var softOptions = new CacheEntryOptions { SoftTimeout = TimeSpan.FromMilliseconds(300), FailSafeMaxStaleness = TimeSpan.FromMinutes(10) };
        Assert.Equal("old", await waiter.GetOrCreateAsync("k-soft", _ => new ValueTask<string>("not run"), softOptions).AsTask().WaitAsync(Safety));

        // Hard: no stale value; the 500 ms hard timeout comes long before the holder ends.
        var hard = await StartHeldAsync(holder, "k-hard", gate.Task);
        var hardOptions = new CacheEntryOptions { HardTimeout = TimeSpan.FromMilliseconds(500) };
        await Assert.ThrowsAsync<TimeoutException>(() => waiter.GetOrCreateAsync("k-hard", _ => new ValueTask<string>("not run"), hardOptions).AsTask().WaitAsync(Safety));

        // Took over: the holder's factory fails once the waiter waits; its lock is released with nothing stored.
        var failure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failing = await StartHeldAsync(holder, "k-over", failure.Task);
        Task<string> overtaken;
        ActivityTraceId trace;
        using (var root = spans.StartRoot("waiter"))
        {
            trace = root.TraceId;
            overtaken = waiter.GetOrCreateAsync("k-over", _ => new ValueTask<string>("from-waiter")).AsTask();
        }

        await Eventually.TrueAsync(() => spans.StartedSpans.Any(s => s.TraceId == trace && s.OperationName == "cachedmethods.lock.wait"), "the waiter to wait for the holder's lock", Safety);
        failure.SetException(new InvalidOperationException("the holder's factory failed"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Safety));
        Assert.Equal("from-waiter", await overtaken.WaitAsync(Safety));

        gate.SetResult();
        Assert.Equal("from-holder", await soft.WaitAsync(Safety));
        Assert.Equal("from-holder", await hard.WaitAsync(Safety));

        var dump = metrics.Dump();
        Assert.Equal(1, metrics.Added(Computations, "outcome=stale"));
        Assert.Equal(1, metrics.Added(Computations, "outcome=hard_timeout"));
        Assert.Equal(1, metrics.Added(Computations, "outcome=took_over"));
        Assert.True(metrics.Series(Computations).SequenceEqual(["outcome=hard_timeout", "outcome=stale", "outcome=took_over"]), dump);
    }

    /// <summary>Starts the holder's computation of <paramref name="key"/>, which ends with <paramref name="end"/>, and returns once it runs under the lock.</summary>
    private static async Task<Task<string>> StartHeldAsync(CacheManager holder, string key, Task end)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var computation = holder.GetOrCreateAsync(key, async _ => { started.TrySetResult(); await end; return "from-holder"; }).AsTask();
        await started.Task.WaitAsync(Safety);
        return computation;
    }

    private async Task<CacheManager> StartEngineAsync(string name)
    {
        var options = new CacheOptions { CacheName = name, DiskCacheSizeGb = 0, DistributedSingleFlight = true }.UseRedis();
        options.Redis.Url = _server.Url;
        options.Redis.KeyPrefix = _prefix;
        options.Redis.OperationTimeoutMs = 5000;
        var cache = new CacheManager(options);
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "Redis to connect", Safety);
        return cache;
    }
}
