using System.Diagnostics;
using CachedMethods.Tests.Infrastructure;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Telemetry;

/// <summary>
/// The spans of the <c>CachedMethods</c> activity source, read with an <see cref="ActivityListener"/>: none on a
/// memory hit; a lower-tier read that fails, times out or is skipped, and a factory that throws, end with that
/// outcome (and an error status for a failure). The failing tier is a fault decorator around a Redis stand-in.
/// </summary>
public sealed class SpanTests
{
    private const string TierRead = "cachedmethods.tier.read";
    private const string Factory = "cachedmethods.factory";
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _time = TestOptions.NewClock();

    [Fact]
    public async Task A_memory_hit_starts_no_span_and_a_miss_reads_each_tier_in_a_span_of_its_own()
    {
        using var spans = new SpanRecorder();
        var redis = new ChaosStore(ChaosMode.Pass);
        await using var cache = new CacheManager(TestOptions.Create(_time, configure: o => o.UseFakeRedis(redis)));

        IReadOnlyList<Activity> miss;
        ActivityTraceId hit;
        using (var root = spans.StartRoot("miss"))
        {
            Assert.Equal("v", await cache.GetOrCreateAsync("k", _ => new ValueTask<string>("v")));
            miss = spans.Under(root);
        }

        using (var root = spans.StartRoot("hit"))
        {
            Assert.Equal("v", await cache.GetOrCreateAsync("k", _ => new ValueTask<string>("not run")));
            hit = root.TraceId;
        }

        Assert.Equal([(TierRead, "miss"), (Factory, "success")], miss.Select(Describe));
        Assert.Equal("redis", miss[0].GetTagItem("cachedmethods.tier"));
        Assert.Equal(ActivityKind.Client, miss[0].Kind);
        Assert.Equal("(direct)", miss[1].GetTagItem("cachedmethods.method"));
        Assert.All(miss, a => Assert.Equal(ActivityStatusCode.Unset, a.Status));
        // Not even started (a span started and never ended would not be among the ended ones).
        Assert.DoesNotContain(spans.StartedSpans, a => a.TraceId == hit);
    }

    [Fact]
    public async Task A_failed_timed_out_or_skipped_tier_read_and_a_throwing_factory_end_their_spans_with_that_outcome()
    {
        using var spans = new SpanRecorder();
        var redis = new ChaosStore(ChaosMode.Throw);
        await using var cache = new CacheManager(TestOptions.Create(_time, configure: o => o.UseFakeRedis(redis, operationTimeoutMs: 100)));

        // Redis throws: its read (and then its write) fail.
        using (var root = spans.StartRoot("error"))
        {
            Assert.Equal("a", await cache.GetOrCreateAsync("a", _ => new ValueTask<string>("a")));
            var read = Assert.Single(spans.Under(root), a => a.OperationName == TierRead);
            Assert.Equal("error", read.GetTagItem("cachedmethods.outcome"));
            Assert.Equal(ActivityStatusCode.Error, read.Status);
            Assert.Equal(typeof(IOException).FullName, read.GetTagItem("error.type"));
            Assert.Equal("success", Assert.Single(spans.Under(root), a => a.OperationName == Factory).GetTagItem("cachedmethods.outcome"));
        }

        // Redis hangs: the read times out (the third failure in a row: the circuit opens).
        redis.Mode = ChaosMode.Hang;
        using (var root = spans.StartRoot("timeout"))
        {
            var hung = cache.GetOrCreateAsync("b", _ => new ValueTask<string>("b")).AsTask();
            _time.Advance(TimeSpan.FromMilliseconds(150));
            Assert.Equal("b", await hung.WaitAsync(Safety));
            // (The read's timer is set before the call returns: every await before it completes synchronously.)
            var read = Assert.Single(spans.Under(root), a => a.OperationName == TierRead);
            Assert.Equal("timeout", read.GetTagItem("cachedmethods.outcome"));
            Assert.Equal(ActivityStatusCode.Error, read.Status);
            Assert.Equal(typeof(TimeoutException).FullName, read.GetTagItem("error.type"));
        }

        // The circuit is open: the read is skipped, which is no error of the read's own; the factory throws.
        using (var root = spans.StartRoot("skipped"))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(async () =>
                await cache.GetOrCreateAsync<string>("c", _ => throw new InvalidOperationException("factory failed")));
            var ended = spans.Under(root);
            Assert.Equal([(TierRead, "skipped"), (Factory, "error")], ended.Select(Describe));
            Assert.Equal(ActivityStatusCode.Unset, ended[0].Status);
            Assert.Equal(ActivityStatusCode.Error, ended[1].Status);
        }

        Assert.True(cache.GetStats()["redis"]!.CircuitOpen);
    }

    [Fact]
    public async Task A_failed_synchronous_tier_read_and_a_factory_past_its_hard_timeout_end_their_spans_as_failures()
    {
        using var spans = new SpanRecorder();
        var redis = new ChaosStore(ChaosMode.Throw);
        await using var cache = new CacheManager(TestOptions.Create(_time, configure: o => o.UseFakeRedis(redis)));

        using (var root = spans.StartRoot("sync"))
        {
            Assert.Equal("s", cache.GetOrCreate("sync", () => "s"));
            var ended = spans.Under(root);
            Assert.Equal([(TierRead, "error"), (Factory, "success")], ended.Select(Describe));
            Assert.Equal(ActivityStatusCode.Error, ended[0].Status);
        }

        redis.Mode = ChaosMode.Pass;
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var root = spans.StartRoot("hard timeout"))
        {
            var slow = cache.GetOrCreateAsync("slow", async _ => await release.Task, new CacheEntryOptions { HardTimeout = TimeSpan.FromSeconds(1) }).AsTask();
            // Advanced until the call gives up, so the test does not depend on when the timeout's timer is set.
            var deadline = DateTime.UtcNow + Safety;
            while (!slow.IsCompleted && DateTime.UtcNow < deadline)
            {
                _time.Advance(TimeSpan.FromSeconds(2));
                await Task.Delay(20);
            }

            await Assert.ThrowsAsync<TimeoutException>(() => slow.WaitAsync(Safety));
            var factory = Assert.Single(spans.Under(root), a => a.OperationName == Factory);
            Assert.Equal("timeout", factory.GetTagItem("cachedmethods.outcome"));
            Assert.Equal(ActivityStatusCode.Error, factory.Status);
        }

        release.SetResult("late");
    }

    [Fact]
    public async Task A_refresh_ahead_run_has_a_factory_span_of_its_own_in_the_trace_of_the_hit_that_found_the_entry_due()
    {
        using var spans = new SpanRecorder();
        await using var cache = new CacheManager(TestOptions.Create(_time));
        var ahead = new CacheEntryOptions { Ttl = TimeSpan.FromMinutes(10), RefreshAheadFraction = 0.5 };
        var runs = 0;
        ValueTask<string> Compute(CancellationToken _) => ++runs == 1 ? new("v1") : throw new InvalidOperationException("refresh failed");

        Assert.Equal("v1", await cache.GetOrCreateAsync("ahead", Compute, ahead));
        _time.Advance(TimeSpan.FromMinutes(6));
        using (var root = spans.StartRoot("due"))
        {
            Assert.Equal("v1", await cache.GetOrCreateAsync("ahead", Compute, ahead));
            var deadline = DateTime.UtcNow + Safety;
            while (spans.Under(root).Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var refresh = Assert.Single(spans.Under(root));
            Assert.Equal((Factory, "error"), Describe(refresh));
            Assert.Equal(true, refresh.GetTagItem("cachedmethods.refresh"));
            Assert.Equal(ActivityStatusCode.Error, refresh.Status);
        }
    }

    private static (string, object?) Describe(Activity activity) => (activity.OperationName, activity.GetTagItem("cachedmethods.outcome"));
}
