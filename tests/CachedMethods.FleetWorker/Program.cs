// Usage: CachedMethods.FleetWorker <redis-url> <key-prefix> <disk-path> <lock-expiry-seconds> [coherence-check-seconds] [operation-timeout-ms]
// Commands (one per line): get K | mem K | set K V | del K | tagset K TAG V | tag TAG | prefix P | clear |
//                          dropin (discard the next coherence message from another process) |
//                          dropout (fail the next publish) | dropped (how many the two hooks discarded) |
//                          stats (the Redis tier's errors and timeouts so far) | redis (UP, or DOWN while unreachable or its circuit is open) |
//                          poll K SECONDS FACTORY_MS TTL_MS (one call every 100 ms, refresh-ahead at half the TTL) |
//                          compute K CALLERS FACTORY_MS | computex K CALLERS FACTORY_MS SOFT_MS HARD_MS |
//                          stale K V (a value already past its TTL, kept for fail-safe) | quit
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CachedMethods;
using CachedMethods.Redis;
using StackExchange.Redis;

var options = new CacheOptions { DiskCachePath = args[2], LockExpirySeconds = int.Parse(args[3], CultureInfo.InvariantCulture) }.UseRedis();
options.Redis.Url = args[0];
options.Redis.KeyPrefix = args[1];
options.Redis.OperationTimeoutMs = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2000;
if (args.Length > 4 && args[4] != "-")
{
    options.CoherenceCheckSeconds = int.Parse(args[4], CultureInfo.InvariantCulture);
}

await using var cache = new CacheManager(options);
for (var i = 0; i < 200 && cache.RedisStore is null; i++)
{
    await Task.Delay(50);
}

var counter = ConnectionMultiplexer.Connect(args[0].Replace("redis://", "", StringComparison.Ordinal));
var self = $"{Environment.ProcessId}";
Console.WriteLine(cache.RedisStore is null ? "NOREDIS" : "READY");

while (Console.ReadLine() is { } line)
{
    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    try
    {
        Console.WriteLine(await RunAsync(words));
    }
    catch (Exception ex)
    {
        Console.WriteLine($"ERROR {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
    }

    if (words is ["quit"])
    {
        break;
    }
}

async Task<string> RunAsync(string[] words)
{
    switch (words)
    {
        case ["get", var key]:
            var found = await cache.GetAsync<string>(key);
            return found.HasValue ? $"HIT {found.Value}" : "MISS";
        case ["mem", var key]:
            return cache.TryGetMemory(CacheKey.FromString(key).Canonical, out string? inMemory) ? $"MEM {inMemory}" : "NOMEM";
        case ["set", var key, var value]:
            await cache.SetAsync(key, value);
            return "OK";
        case ["del", var key]:
            return await cache.DeleteAsync(key) ? "DELETED" : "ABSENT";
        case ["tagset", var key, var tag, var value]:
            await cache.SetAsync(CacheKey.FromString(key), value, new CacheEntryOptions { Tags = [tag] });
            return "OK";
        case ["tag", var tag]:
            await cache.InvalidateTagAsync(tag);
            return "OK";
        case ["prefix", var prefix]:
            await cache.InvalidatePrefixAsync(prefix);
            return "OK";
        case ["clear"]:
            await cache.ClearAsync();
            return "OK";
        case ["dropin"]:
            ((RedisCacheStore)cache.RedisStore!).DiscardNextIncoming();
            return "OK";
        case ["dropout"]:
            ((RedisCacheStore)cache.RedisStore!).FailNextPublish();
            return "OK";
        case ["stats"]:
            var redis = cache.GetStats()["redis"]!;
            return string.Create(CultureInfo.InvariantCulture, $"STATS errors={redis.Errors} timeouts={redis.Timeouts}");
        case ["redis"]:
            var tier = cache.GetStats()["redis"]!;
            return tier.Available && !tier.CircuitOpen ? "UP" : "DOWN";
        case ["dropped"]:
            return string.Create(CultureInfo.InvariantCulture, $"DROPPED {((RedisCacheStore)cache.RedisStore!).DiscardedMessages}");
        case ["compute", var key, var callers, var factoryMs]:
            return await ComputeAsync(key, int.Parse(callers, CultureInfo.InvariantCulture), int.Parse(factoryMs, CultureInfo.InvariantCulture), new CacheEntryOptions { DistributedSingleFlight = true, Ttl = TimeSpan.FromMinutes(10) });
        case ["computex", var key, var callers, var factoryMs, var softMs, var hardMs]:
            return await ComputeAsync(key, int.Parse(callers, CultureInfo.InvariantCulture), int.Parse(factoryMs, CultureInfo.InvariantCulture), new CacheEntryOptions
            {
                DistributedSingleFlight = true,
                Ttl = TimeSpan.FromMinutes(10),
                FailSafeMaxStaleness = TimeSpan.FromMinutes(10),
                SoftTimeout = TimeSpan.FromMilliseconds(int.Parse(softMs, CultureInfo.InvariantCulture)),
                HardTimeout = TimeSpan.FromMilliseconds(int.Parse(hardMs, CultureInfo.InvariantCulture)),
            });
        case ["poll", var key, var seconds, var factoryMs, var ttlMs]:
            return await PollAsync(key, int.Parse(seconds, CultureInfo.InvariantCulture), int.Parse(factoryMs, CultureInfo.InvariantCulture), int.Parse(ttlMs, CultureInfo.InvariantCulture));
        case ["stale", var key, var value]:
            await cache.SetAsync(CacheKey.FromString(key), value, new CacheEntryOptions { Ttl = TimeSpan.FromMilliseconds(1), FailSafeMaxStaleness = TimeSpan.FromMinutes(10) });
            return "OK";
        case ["quit"]:
            return "BYE";
        default:
            return "UNKNOWN";
    }
}

async Task<string> ComputeAsync(string key, int callers, int factoryMs, CacheEntryOptions entry)
{
    var timeouts = 0;
    var waits = new ConcurrentBag<double>();
    var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var calls = Enumerable.Range(0, callers).Select(async _ =>
    {
        await start.Task;
        var clock = Stopwatch.StartNew();
        try
        {
            var value = await cache.GetOrCreateAsync(key, ct => Factory(key, factoryMs, ct), entry);
            waits.Add(clock.Elapsed.TotalMilliseconds);
            return value;
        }
        catch (TimeoutException)
        {
            waits.Add(clock.Elapsed.TotalMilliseconds);
            Interlocked.Increment(ref timeouts);
            return null;
        }
    }).ToArray();
    start.SetResult();
    var values = (await Task.WhenAll(calls)).OfType<string>().ToArray();
    return string.Create(CultureInfo.InvariantCulture, $"DONE distinct={values.Distinct().Count()} value={values.FirstOrDefault() ?? "-"} timeouts={timeouts} maxwait={waits.Max():F0}");
}

async ValueTask<string> Factory(string key, int factoryMs, CancellationToken cancellationToken)
{
    // Counted in Redis itself, so the test sees every factory run of the whole fleet.
    // Outside the cache's prefix: a clear must not wipe the count.
    await counter.GetDatabase().StringIncrementAsync("runs:" + args[1] + key);
    await Task.Delay(factoryMs, cancellationToken);
    return $"{self}-{Guid.NewGuid():N}";
}

// One caller at a time, every 100 ms for the given time: what a steady reader of a refreshed entry sees.
async Task<string> PollAsync(string key, int seconds, int factoryMs, int ttlMs)
{
    var entry = new CacheEntryOptions { DistributedSingleFlight = true, Ttl = TimeSpan.FromMilliseconds(ttlMs), RefreshAheadFraction = 0.5 };
    var values = new HashSet<string>(StringComparer.Ordinal);
    var calls = 0;
    var maxWait = 0.0;
    var running = Stopwatch.StartNew();
    do
    {
        var clock = Stopwatch.StartNew();
        values.Add(await cache.GetOrCreateAsync(key, ct => Factory(key, factoryMs, ct), entry));
        maxWait = Math.Max(maxWait, clock.Elapsed.TotalMilliseconds);
        calls++;
        await Task.Delay(100);
    }
    while (running.Elapsed < TimeSpan.FromSeconds(seconds));
    return string.Create(CultureInfo.InvariantCulture, $"DONE calls={calls} distinct={values.Count} maxwait={maxWait:F0}");
}
