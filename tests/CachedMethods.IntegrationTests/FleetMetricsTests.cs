using System.Collections.Concurrent;
using System.Diagnostics;
using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// The fleet instruments of the <c>CachedMethods</c> meter (<see cref="InstrumentCoverage.Fleet"/>), read through a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> after a scripted sequence against a real redis-server:
/// two engines (A and B) on one Redis and one key prefix stand in for two processes. Every count is checked
/// exactly, after waiting for the messages the script sent to arrive; no assertion is on time.
/// </summary>
public sealed class FleetMetricsTests : FleetTestBase
{
    private const string LockWait = "cachedmethods.lock.wait";
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(90);

    private readonly string _a = $"fleet-a-{Guid.NewGuid():N}";
    private readonly string _b = $"fleet-b-{Guid.NewGuid():N}";
    private readonly LogCollector _logA = new();
    private readonly LogCollector _logB = new();

    [Fact]
    public async Task Lock_waits_single_flight_outcomes_coherence_messages_and_their_lag_are_counted_exactly()
    {
        // A gives up waiting for another holder after 1 s; B waits up to the default 120 s.
        await using var a = await StartEngineAsync(_a, lockWaitSeconds: 1, _logA);
        await using var b = await StartEngineAsync(_b, lockWaitSeconds: 120, _logB);
        await WarmUpChannelAsync(a, b);

        // What A's store delivered, in order: a failure shows a message handled twice, or one that never came.
        var deliveredToA = new ConcurrentQueue<string>();
        ((ICacheCoordinator)a.RedisStore!).MessageReceived += m => deliveredToA.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {m.Kind} {m.Value} {m.At}");
        using var metricsA = new MetricsRecorder(_a);
        using var metricsB = new MetricsRecorder(_b);
        using var spans = new SpanRecorder();

        // 1. A computes under the key's lock; B waits for it, is woken by the release, and reads A's value (peer).
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fromA = a.GetOrCreateAsync("k-peer", async _ => { aStarted.TrySetResult(); await aGate.Task; return "from-a"; }).AsTask();
        await aStarted.Task.WaitAsync(Safety);
        Task<string> fromB;
        ActivityTraceId bTrace;
        using (var root = spans.StartRoot("b waits"))
        {
            fromB = b.GetOrCreateAsync("k-peer", _ => new ValueTask<string>("from-b")).AsTask();
            bTrace = root.TraceId;
        }

        await Eventually.TrueAsync(() => spans.StartedSpans.Any(s => s.TraceId == bTrace && s.OperationName == LockWait), "B to wait for A's lock", Safety);
        aGate.SetResult();
        Assert.Equal("from-a", await fromA.WaitAsync(Safety));
        Assert.Equal("from-a", await fromB.WaitAsync(Safety));

        // 2. B computes under the lock and does not finish; A waits its 1 s lock-wait timeout and computes itself.
        var bStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowB = b.GetOrCreateAsync("k-timeout", async _ => { bStarted.TrySetResult(); await bGate.Task; return "from-b"; }).AsTask();
        await bStarted.Task.WaitAsync(Safety);
        ActivityTraceId aTrace;
        using (var root = spans.StartRoot("a times out"))
        {
            aTrace = root.TraceId;
            Assert.Equal("from-a", await a.GetOrCreateAsync("k-timeout", _ => new ValueTask<string>("from-a")).AsTask().WaitAsync(Safety));
        }

        bGate.SetResult();
        Assert.Equal("from-b", await slowB.WaitAsync(Safety));

        // B's computation started before A's and stores nothing over it (the newest start wins); B then writes a key
        // of its own, its one remove message.
        Assert.Equal("from-a", (await b.GetAsync<string>("k-timeout")).Value);
        await b.SetAsync("k-b", "b");

        // 3. A's entry is due for refresh-ahead while another process (a lock taken by hand) holds the key's lock: A leaves it to that one.
        var ahead = new CacheEntryOptions { Ttl = TimeSpan.FromHours(1), RefreshAheadFraction = 0.0005 };
        Assert.Equal("r1", await a.GetOrCreateAsync("k-refresh", _ => new ValueTask<string>("r1"), ahead));
        Assert.True(await _redis.GetDatabase().StringSetAsync(RedisKey("k-refresh", ":lock"), "elsewhere", TimeSpan.FromMinutes(10), When.NotExists));
        await Eventually.TrueAsync(
            () => metricsA.Added("cachedmethods.refreshes", "method=(direct),outcome=peer") > 0,
            "A's refresh to find the lock held elsewhere",
            Safety,
            async () => Assert.Equal("r1", await a.GetOrCreateAsync("k-refresh", _ => new ValueTask<string>("not run"), ahead)));
        await _redis.GetDatabase().KeyDeleteAsync(RedisKey("k-refresh", ":lock"));

        // 4. A removes a key, invalidates a tag and clears the fleet: one message of each kind.
        Assert.True(await a.DeleteAsync("k-peer"));
        await a.InvalidateTagAsync("t");
        await a.ClearAsync();

        // Every message sent has arrived (released: A's two leases ended in steps 1 and 3, B's in step 2).
        await Eventually.TrueAsync(
            () => metricsB.Added(Messages, "direction=received,message.kind=remove") == 4
                && metricsB.Added(Messages, "direction=received,message.kind=released") == 2
                && metricsB.Added(Messages, "direction=received,message.kind=tag") == 1
                && metricsB.Added(Messages, "direction=received,message.kind=clear") == 1
                && metricsA.Added(Messages, "direction=received,message.kind=remove") == 1
                && metricsA.Added(Messages, "direction=received,message.kind=released") == 1,
            () => $"the messages to arrive:\n{metricsA.Dump()}\n--\n{metricsB.Dump()}\nDelivered to A:\n{string.Join("\n", deliveredToA)}"
                + $"\nA logged:\n{string.Join("\n", _logA.At(LogLevel.Information))}\nB logged:\n{string.Join("\n", _logB.At(LogLevel.Information))}",
            Safety);

        // 5. Redis stops: A cannot ask for the lock, computes without it, and its publishes are not counted as sent.
        await _server.StopAsync();
        Assert.Equal("u", await a.GetOrCreateAsync("k-unavailable", _ => new ValueTask<string>("u")).AsTask().WaitAsync(Safety));

        var dump = metricsA.Dump() + "\n--\n" + metricsB.Dump();

        // Distributed single-flight: A computed k-peer and k-refresh, gave up waiting on k-timeout, computed k-unavailable
        // without the lock; B read k-peer from A (peer) and computed k-timeout.
        Assert.True(metricsA.Series(Computations).SequenceEqual(["outcome=computed", "outcome=unavailable", "outcome=wait_timeout"]), dump);
        Assert.Equal(2, metricsA.Added(Computations, "outcome=computed"));
        Assert.Equal(1, metricsA.Added(Computations, "outcome=wait_timeout"));
        Assert.Equal(1, metricsA.Added(Computations, "outcome=unavailable"));
        Assert.True(metricsB.Series(Computations).SequenceEqual(["outcome=computed", "outcome=peer"]), dump);
        Assert.Equal(1, metricsB.Added(Computations, "outcome=computed"));
        Assert.Equal(1, metricsB.Added(Computations, "outcome=peer"));

        // One lock wait each: B's ended by A's release, A's by its timeout; their spans say the same.
        Assert.True(metricsA.Series(LockWaitDuration).SequenceEqual(["outcome=timeout"]), dump);
        Assert.Single(metricsA.Recorded(LockWaitDuration, "outcome=timeout"));
        Assert.True(metricsB.Series(LockWaitDuration).SequenceEqual(["outcome=released"]), dump);
        Assert.Single(metricsB.Recorded(LockWaitDuration, "outcome=released"));
        Assert.Equal("released", Assert.Single(spans.Stopped, s => s.TraceId == bTrace && s.OperationName == LockWait).GetTagItem("cachedmethods.outcome"));
        Assert.Equal("timeout", Assert.Single(spans.Stopped, s => s.TraceId == aTrace && s.OperationName == LockWait).GetTagItem("cachedmethods.outcome"));

        // Messages: A sent a remove for each of its three writes and its delete, a tag and a clear; B one remove (its set
        // after step 2). Released messages are published by the Redis store when a lock is released, and counted where received.
        Assert.True(metricsA.Series(Messages).SequenceEqual([
            "direction=received,message.kind=released", "direction=received,message.kind=remove",
            "direction=sent,message.kind=clear", "direction=sent,message.kind=remove", "direction=sent,message.kind=tag"]), dump);
        Assert.Equal(4, metricsA.Added(Messages, "direction=sent,message.kind=remove"));
        Assert.Equal(1, metricsA.Added(Messages, "direction=sent,message.kind=tag"));
        Assert.Equal(1, metricsA.Added(Messages, "direction=sent,message.kind=clear"));
        Assert.True(metricsB.Series(Messages).SequenceEqual([
            "direction=received,message.kind=clear", "direction=received,message.kind=released", "direction=received,message.kind=remove",
            "direction=received,message.kind=tag", "direction=sent,message.kind=remove"]), dump);
        Assert.Equal(1, metricsB.Added(Messages, "direction=sent,message.kind=remove"));

        // Lag: one recording per received message that carries its sending time (all but the store's released messages).
        Assert.True(metricsA.Series(Lag).SequenceEqual(["message.kind=remove"]), dump);
        Assert.Single(metricsA.Recorded(Lag, "message.kind=remove"));
        Assert.True(metricsB.Series(Lag).SequenceEqual(["message.kind=clear", "message.kind=remove", "message.kind=tag"]), dump);
        Assert.Equal(4, metricsB.Recorded(Lag, "message.kind=remove").Count);
        Assert.Single(metricsB.Recorded(Lag, "message.kind=tag"));
        Assert.Single(metricsB.Recorded(Lag, "message.kind=clear"));
        Assert.All(metricsB.Recorded(Lag, "message.kind=remove"), lag => Assert.True(lag >= 0));

        // Refresh-ahead left to the lock's holder, once.
        Assert.Equal(1, metricsA.Added("cachedmethods.refreshes", "method=(direct),outcome=peer"));

        // Every fleet instrument was read here.
        Assert.Subset(metricsA.Checked.Union(metricsB.Checked).ToHashSet(StringComparer.Ordinal), InstrumentCoverage.Fleet.ToHashSet(StringComparer.Ordinal));
    }

    private const string Computations = "cachedmethods.fleet.computations";
    private const string LockWaitDuration = "cachedmethods.lock.wait.duration";
    private const string Messages = "cachedmethods.coherence.messages";
    private const string Lag = "cachedmethods.coherence.lag";

    private async Task<CacheManager> StartEngineAsync(string name, int lockWaitSeconds, LogCollector log)
    {
        var options = new CacheOptions
        {
            CacheName = name,
            DiskCacheSizeGb = 0,
            DistributedSingleFlight = true,
            LockWaitTimeoutSeconds = lockWaitSeconds,
        }.UseRedis();
        options.Redis.Url = _server.Url;
        options.Redis.KeyPrefix = _prefix;
        options.Redis.OperationTimeoutMs = 5000;
        var cache = new CacheManager(options, log);
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "Redis to connect", Safety);
        return cache;
    }

    /// <summary>
    /// Waits until both engines are subscribed at the server, then until each has received one message from the
    /// other, before the counts start. One message each: a second one sent because the first seemed slow could
    /// arrive after the counts started.
    /// </summary>
    private async Task WarmUpChannelAsync(CacheManager a, CacheManager b)
    {
        var server = _redis.GetServer(_redis.GetEndPoints()[0]);
        await Eventually.TrueAsync(() => server.SubscriptionSubscriberCount(RedisChannel.Literal(_prefix + "events")) >= 2, "both engines to subscribe", Safety);
        using var warmA = new MetricsRecorder(_a);
        using var warmB = new MetricsRecorder(_b);
        await a.SetAsync("warm", "x");
        await Eventually.TrueAsync(() => warmB.Added(Messages, "direction=received,message.kind=remove") > 0, "B to hear A", Safety);
        await b.SetAsync("warm", "y");
        await Eventually.TrueAsync(() => warmA.Added(Messages, "direction=received,message.kind=remove") > 0, "A to hear B", Safety);
    }
}
