using System.Collections.Concurrent;
using System.Diagnostics;
using CachedMethods.FaultTests.Fixtures;
using CachedMethods.Redis;
using CachedMethods.TestSupport;

namespace CachedMethods.FaultTests;

/// <summary>
/// Redis SIGKILLed (with its data on disk, so the old values come back with it) and paused with
/// <c>CLIENT PAUSE</c>, under concurrent writers and readers: a write that returned is never read back as
/// an older value, and the Redis tier is used again within seconds of Redis answering.
/// </summary>
public sealed class AcknowledgedWriteTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Keys = 256;
    private const int Workers = 16;
    private readonly string _disk = TestEnvironment.NewTempFolder("acknowledged");
    private RedisProcess _redis = null!;

    public async Task InitializeAsync()
    {
        // AOF with fsync always: a SIGKILLed Redis restarts holding every value it had acknowledged.
        _redis = new RedisProcess(TestEnvironment.FreeLoopbackPort(), ["--appendonly", "yes", "--appendfsync", "always"]);
        await _redis.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        TestEnvironment.DeleteFolder(_disk);
    }

    [Theory]
    [InlineData("sigkill")]
    [InlineData("client-pause")]
    public async Task No_acknowledged_write_is_read_back_older_after_a_redis_blip(string fault)
    {
        var options = new CacheOptions { DiskCachePath = _disk, MemoryCacheSizeMb = 0 }.UseRedis();
        options.Redis.Url = $"redis://{_redis.EndPoint}";
        options.Redis.KeyPrefix = $"ack-{fault}:";
        var logs = new LogCollector();
        await using var cache = new CacheManager(options, logs);
        Assert.True(await Eventually.HoldsAsync(() => cache.RedisStore is not null, 30));

        var acknowledged = new ConcurrentDictionary<int, long>();
        for (var k = 0; k < Keys; k++)
        {
            // Version 0 of every key is in Redis (and on disk) before the fault.
            await cache.SetAsync($"key{k}", 0L);
            acknowledged[k] = 0;
        }

        var older = 0;
        var reads = 0;
        var writes = 0;
        var exceptions = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var version = 0L;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // Each worker owns the keys w, w + Workers, ...: one writer per key, so "older" is well defined.
                    var k = w + (Workers * (int)(version % (Keys / Workers)));
                    version++;
                    await cache.SetAsync($"key{k}", version);
                    acknowledged[k] = version;
                    Interlocked.Increment(ref writes);
                    var read = await cache.GetAsync<long>($"key{k}");
                    Interlocked.Increment(ref reads);
                    if (read.HasValue && read.Value < acknowledged[k])
                    {
                        Interlocked.Increment(ref older);
                    }
                }
                catch (Exception ex)
                {
                    exceptions.Enqueue(ex);
                }
            }
        })).ToArray();

        await Task.Delay(500);
        var faultStarted = Stopwatch.StartNew();
        if (fault == "sigkill")
        {
            await _redis.KillAsync();
            await Task.Delay(3000);
            await _redis.StartAsync();
        }
        else
        {
            Assert.Contains("OK", await _redis.CliAsync("CLIENT", "PAUSE", "3000", "ALL"), StringComparison.Ordinal);
            await Task.Delay(3000);
        }

        var back = Stopwatch.StartNew();
        var errorsAtReturn = cache.GetStats()["redis"]!.Errors;
        // Recovered: the tier is usable again and a write reaches Redis.
        Assert.True(await Eventually.HoldsAsync(() => cache.RedisStore is not null, 60));
        var recovered = back.Elapsed;
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        // After the load: every key reads back as its last acknowledged version, from this process and from a
        // second one that knows nothing of what this one could not write.
        var finalOlder = 0;
        var otherOlder = 0;
        var second = new CacheOptions { DiskCachePath = TestEnvironment.NewTempFolder("other"), MemoryCacheSizeMb = 0 }.UseRedis();
        second.Redis.Url = options.Redis.Url;
        second.Redis.KeyPrefix = options.Redis.KeyPrefix;
        await using var other = new CacheManager(second);
        Assert.True(await Eventually.HoldsAsync(() => other.RedisStore is not null, 30));
        var settled = await Eventually.HoldsAsync(() => cache.GetStats()["redis"] is not null && UnsettledCount(cache) == 0, 30);
        for (var k = 0; k < Keys; k++)
        {
            var mine = await cache.GetAsync<long>($"key{k}");
            if (mine.HasValue && mine.Value < acknowledged[k])
            {
                finalOlder++;
            }

            var theirs = await other.GetAsync<long>($"key{k}");
            if (theirs.HasValue && theirs.Value < acknowledged[k])
            {
                otherOlder++;
            }
        }

        output.WriteLine($"{fault}: {writes} acknowledged writes, {reads} reads under load, {older} read back older; after: {finalOlder} older here, {otherOlder} older in a second process");
        output.WriteLine($"redis errors by its return: {errorsAtReturn}; tier usable again {recovered.TotalMilliseconds:F0} ms after Redis answered; unsettled keys settled: {settled}");
        Assert.Empty(exceptions);
        Assert.True(writes > Keys);
        Assert.Equal(0, older);
        Assert.Equal(0, finalOlder);
        Assert.True(settled);
        Assert.Equal(0, otherOlder);
    }

    private static int UnsettledCount(CacheManager cache) => cache.UnsettledKeyCount(CacheTiers.Redis);
}
