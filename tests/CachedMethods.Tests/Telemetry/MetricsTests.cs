using CachedMethods.Tests.Infrastructure;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Telemetry;

/// <summary>
/// Reads every instrument of the <c>CachedMethods</c> meter through a <see cref="System.Diagnostics.Metrics.MeterListener"/>
/// after a scripted sequence of hits, misses, evictions, size skips, errors, a timeout and refreshes, and checks
/// the values exactly. The failing tier is a fault decorator around an in-memory Redis stand-in; the fleet
/// instruments (<see cref="InstrumentCoverage.Fleet"/>), which need a real Redis, are read in
/// CachedMethods.IntegrationTests' FleetMetricsTests. Every other instrument the meter publishes must be read here.
/// </summary>
public sealed class MetricsTests
{
    private const string Method = "Tests.IPages.Read";
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    private readonly FakeTimeProvider _time = TestOptions.NewClock();
    private readonly string _name = $"metrics-{Guid.NewGuid():N}";

    [Fact]
    public async Task Every_instrument_reports_exactly_what_a_scripted_sequence_did()
    {
        using var metrics = new MetricsRecorder(_name);
        var redis = new ChaosStore(ChaosMode.Pass);
        await using var cache = new CacheManager(TestOptions.Create(_time, configure: o =>
        {
            o.CacheName = _name;
            o.MemoryCacheSizeMb = 1;
            o.MaxMemoryEntryBytes = 500_000;
            o.MaxRedisEntryBytes = 700_000;
            o.UseFakeRedis(redis, operationTimeoutMs: 100);
        }));

        // Phase A, every tier answering: a miss, a memory hit, a Redis hit, then three large values that evict two entries.
        Assert.Equal("page 1", await Read(cache, "1"));
        Assert.Equal("page 1", await Read(cache, "1"));
        cache.MemoryStore!.Clear();
        Assert.Equal("page 1", await Read(cache, "1"));
        for (var i = 1; i <= 3; i++)
        {
            // Distinct access times make the least recently used entries (page 1, then big-1) the evicted ones.
            _time.Advance(TimeSpan.FromSeconds(1));
            await cache.GetOrCreateAsync($"big-{i}", _ => new ValueTask<byte[]>(RandomBytes(400_000)));
        }

        // A value over both tiers' entry limits: skipped by memory and by Redis.
        await cache.GetOrCreateAsync("huge", _ => new ValueTask<byte[]>(RandomBytes(800_000)));

        metrics.Collect();
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.circuit.state", "tier=redis"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.available", "tier=redis"));

        // Phase B, Redis throwing: its read and its write fail.
        redis.Mode = ChaosMode.Throw;
        Assert.Equal("page 2", await Read(cache, "2"));

        // Phase C, Redis hanging: the read times out, the third failure in a row opens the circuit.
        redis.Mode = ChaosMode.Hang;
        var hung = Read(cache, "3").AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal("page 3", await hung.WaitAsync(Safety));

        metrics.Collect();
        var dump = metrics.Dump();
        Assert.Equal(2, metrics.Observed("cachedmethods.requests", $"method={Method},outcome=hit"));
        Assert.Equal(3, metrics.Observed("cachedmethods.requests", $"method={Method},outcome=miss"));
        Assert.Equal(0, metrics.Observed("cachedmethods.requests", "method=(direct),outcome=hit"));
        Assert.Equal(4, metrics.Observed("cachedmethods.requests", "method=(direct),outcome=miss"));

        Assert.Equal(1, metrics.Observed("cachedmethods.tier.lookups", "tier=memory,outcome=hit"));
        Assert.Equal(8, metrics.Observed("cachedmethods.tier.lookups", "tier=memory,outcome=miss"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.lookups", "tier=redis,outcome=hit"));
        Assert.Equal(7, metrics.Observed("cachedmethods.tier.lookups", "tier=redis,outcome=miss"));

        Assert.Equal(2, metrics.Observed("cachedmethods.tier.errors", "tier=redis,error.type=error"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.errors", "tier=redis,error.type=timeout"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.circuit.state", "tier=redis"));
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.available", "tier=redis"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.available", "tier=memory"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.skipped", "tier=memory"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.skipped", "tier=redis"));

        Assert.Equal(2, metrics.Observed("cachedmethods.evictions", "tier=memory"));
        // Left in memory: big-2, big-3, page 2 and page 3.
        Assert.Equal(4, metrics.Observed("cachedmethods.tier.entries", "tier=memory"));
        Assert.Equal(cache.MemoryStore.SizeBytes, metrics.Observed("cachedmethods.tier.size", "tier=memory"));
        Assert.True(cache.MemoryStore.SizeBytes > 800_000, dump);
        // Redis took page 1 and the three large values; the write of page 2 failed and that of page 3 met the open circuit.
        Assert.Equal(4, metrics.Observed("cachedmethods.tier.entries", "tier=redis"));
        Assert.Equal(redis.GetUsage().Bytes, metrics.Observed("cachedmethods.tier.size", "tier=redis"));
        Assert.True(redis.GetUsage().Bytes > 1_200_000, dump);

        Assert.Equal(3, metrics.Recorded("cachedmethods.factory.duration", $"method={Method},outcome=success").Count);
        Assert.Equal(4, metrics.Recorded("cachedmethods.factory.duration", "method=(direct),outcome=success").Count);
        Assert.All(metrics.Recorded("cachedmethods.factory.duration", $"method={Method},outcome=success"), d => Assert.True(d >= 0));
        // No series beyond the ones checked above.
        Assert.Equal(["method=(direct),outcome=success", $"method={Method},outcome=success"], metrics.Series("cachedmethods.factory.duration"));
        Assert.Equal(["outcome=hit,tier=memory", "outcome=hit,tier=redis", "outcome=miss,tier=memory", "outcome=miss,tier=redis"], metrics.Series("cachedmethods.tier.lookups"));

        // GetStats is a view over the same counters.
        var stats = cache.GetStats();
        var method = stats.Method(Method)!;
        Assert.Equal((5, 1, 1, 3), (method.Requests, method.MemoryHits, method.LowerTierHits, method.FactoryRuns));
        Assert.Equal(9, stats.TotalRequests);
        Assert.Equal(2, stats.TotalHits);
        Assert.Equal((1L, 8L), (stats["memory"]!.Hits, stats["memory"]!.Misses));
        Assert.Equal((1L, 7L, 3L, 1L), (stats["redis"]!.Hits, stats["redis"]!.Misses, stats["redis"]!.Errors, stats["redis"]!.Timeouts));
        Assert.True(stats["redis"]!.CircuitOpen);
        Assert.Equal(2, stats["memory"]!.Evictions);

        // Refresh-ahead and a failing factory, in a second engine of its own.
        using var refreshMetrics = new MetricsRecorder(_name + "-refresh");
        await RefreshAheadAndAFailingFactory(refreshMetrics, _name + "-refresh");

        // Every instrument the meter publishes was read here, but those read against a real Redis.
        var published = metrics.Published.Keys.Except(InstrumentCoverage.Fleet).Order(StringComparer.Ordinal);
        var read = metrics.Checked.Union(refreshMetrics.Checked).Order(StringComparer.Ordinal);
        Assert.Equal(published, read);
    }

    /// <summary>
    /// A memory-only engine: one miss, two hits past the refresh point (the first refresh succeeds, the
    /// second one throws), then a factory that throws on a miss.
    /// </summary>
    private async Task RefreshAheadAndAFailingFactory(MetricsRecorder metrics, string name)
    {
        await using var cache = new CacheManager(TestOptions.Create(_time, configure: o => o.CacheName = name));
        var ahead = new CacheEntryOptions { Ttl = TimeSpan.FromMinutes(10), RefreshAheadFraction = 0.5 };
        var runs = 0;
        ValueTask<string> Factory(CancellationToken _) => ++runs switch
        {
            1 => new("v1"),
            2 => new("v2"),
            _ => throw new InvalidOperationException("refresh failed"),
        };

        Assert.Equal("v1", await cache.GetOrCreateAsync("ahead", Factory, ahead));
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("v1", await cache.GetOrCreateAsync("ahead", Factory, ahead));
        await Eventually(() => metrics.Added("cachedmethods.refreshes", "method=(direct),outcome=success") == 1, metrics);
        // The refreshed entry was created at minute 6: due again from minute 11.
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("v2", await cache.GetOrCreateAsync("ahead", Factory, ahead));
        await Eventually(() => metrics.Added("cachedmethods.refreshes", "method=(direct),outcome=error") == 1, metrics);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.GetOrCreateAsync<string>("broken", _ => throw new InvalidOperationException("no")));

        metrics.Collect();
        Assert.Equal(["method=(direct),outcome=error", "method=(direct),outcome=success"], metrics.Series("cachedmethods.refreshes"));
        Assert.Equal(3, runs);
        Assert.Equal(2, metrics.Observed("cachedmethods.requests", "method=(direct),outcome=hit"));
        Assert.Equal(2, metrics.Observed("cachedmethods.requests", "method=(direct),outcome=miss"));
        // A refresh runs the factory outside the miss path: counted by cachedmethods.refreshes, not timed as a miss's run.
        Assert.Single(metrics.Recorded("cachedmethods.factory.duration", "method=(direct),outcome=success"));
        Assert.Single(metrics.Recorded("cachedmethods.factory.duration", "method=(direct),outcome=error"));
    }

    private static async Task Eventually(Func<bool> condition, MetricsRecorder metrics)
    {
        var deadline = DateTime.UtcNow + Safety;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, metrics.Dump());
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Errors_and_circuits_are_counted_per_tier_and_a_tier_that_answers_again_closes_its_circuit()
    {
        using var metrics = new MetricsRecorder(_name);
        var redis = new ChaosStore(ChaosMode.Pass);
        var s3 = new ChaosStore(new InMemoryStore(CacheTiers.Persistent, "s3")) { Mode = ChaosMode.Throw };
        await using var cache = new CacheManager(TestOptions.Create(_time, configure: o =>
        {
            o.CacheName = _name;
            o.UseFakeRedis(redis);
            o.S3.Bucket = "fake";
            o.S3StoreFactory = (_, _) => s3;
        }));

        // S3 throws: the read and the write of page 1, then the read of page 2 (the third failure: its circuit opens, its write is skipped).
        Assert.Equal("page 1", await Read(cache, "1"));
        Assert.Equal("page 2", await Read(cache, "2"));
        metrics.Collect();
        var dump = metrics.Dump();
        Assert.Equal(3, metrics.Observed("cachedmethods.tier.errors", "tier=s3,error.type=error"));
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.errors", "tier=s3,error.type=timeout"));
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.errors", "tier=redis,error.type=error"));
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.errors", "tier=redis,error.type=timeout"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.circuit.state", "tier=s3"));
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.circuit.state", "tier=redis"));
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.available", "tier=s3"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.available", "tier=redis"));
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.entries", "tier=s3"));

        // S3 answers again: past the circuit's break, the read of page 3 is the probe that closes it.
        s3.Mode = ChaosMode.Pass;
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("page 3", await Read(cache, "3"));
        // Page 1 from Redis, once memory has forgotten it.
        cache.MemoryStore!.Clear();
        Assert.Equal("page 1", await Read(cache, "1"));

        metrics.Collect();
        dump = metrics.Dump();
        Assert.True(metrics.Observed("cachedmethods.tier.circuit.state", "tier=s3") == 0, dump);
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.available", "tier=s3"));
        Assert.Equal(3, metrics.Observed("cachedmethods.tier.errors", "tier=s3,error.type=error"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.entries", "tier=s3"));
        Assert.Equal(s3.GetUsage().Bytes, metrics.Observed("cachedmethods.tier.size", "tier=s3"));
        Assert.Equal(3, metrics.Observed("cachedmethods.tier.entries", "tier=redis"));
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.lookups", "tier=memory,outcome=hit"));
        Assert.Equal(4, metrics.Observed("cachedmethods.tier.lookups", "tier=memory,outcome=miss"));
        Assert.Equal(1, metrics.Observed("cachedmethods.tier.lookups", "tier=redis,outcome=hit"));
        Assert.Equal(3, metrics.Observed("cachedmethods.tier.lookups", "tier=redis,outcome=miss"));
        // A failed read is also a miss: S3 was asked for pages 1, 2 and 3 (page 1 came from Redis the second time).
        Assert.Equal(0, metrics.Observed("cachedmethods.tier.lookups", "tier=s3,outcome=hit"));
        Assert.Equal(3, metrics.Observed("cachedmethods.tier.lookups", "tier=s3,outcome=miss"));
        Assert.Equal(1, metrics.Observed("cachedmethods.requests", $"method={Method},outcome=hit"));
        Assert.Equal(3, metrics.Observed("cachedmethods.requests", $"method={Method},outcome=miss"));
    }

    [Fact]
    public async Task A_failing_factory_is_counted_as_an_error_run()
    {
        using var metrics = new MetricsRecorder(_name);
        await using var cache = new CacheManager(TestOptions.Create(_time, configure: o => o.CacheName = _name));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.GetOrCreateAsync<string>("broken", _ => throw new InvalidOperationException("no")));

        Assert.Single(metrics.Recorded("cachedmethods.factory.duration", "method=(direct),outcome=error"));
        var direct = cache.GetStats().Method("(direct)")!;
        Assert.Equal((1L, 1L, 1L), (direct.Requests, direct.FactoryRuns, direct.FactoryErrors));
    }

    [Fact]
    public async Task A_warm_pass_reads_as_every_request_served()
    {
        await using var cache = new CacheManager(TestOptions.Create(_time, configure: o => o.CacheName = _name));
        for (var i = 0; i < 4; i++)
        {
            await Read(cache, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        cache.ResetStats();
        for (var i = 0; i < 4; i++)
        {
            await Read(cache, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var stats = cache.GetStats();
        Assert.Equal(1.0, stats.OverallHitRate);
        Assert.Equal(1.0, stats.Method(Method)!.HitRate);
        Assert.Contains(Method, stats.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A call the way a generated wrapper makes it: the key starts with the method's scope.</summary>
    private static ValueTask<string> Read(CacheManager cache, string page)
    {
        var key = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            key.AppendScope("Tests.IPages"u8, "Read(System.String)"u8, 0, "0000000000000000"u8);
            key.AppendName("page"u8);
            key.Append(page);
            return cache.GetOrCreateAsync(key.Written, page, static (p, _) => new ValueTask<string>($"page {p}"));
        }
        finally
        {
            key.Dispose();
        }
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
