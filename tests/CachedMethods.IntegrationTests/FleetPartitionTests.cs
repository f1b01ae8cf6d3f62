using System.Diagnostics;
using System.Globalization;
using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// Issue 9, case 6, against real processes and a real redis-server: a delete, write, tag or prefix invalidation or
/// clear made by a process cut off from Redis (its circuit open, Redis up for everyone else) is owed, not lost.
/// Once the process reaches Redis again, no process serves the old value from any tier, and promotion never
/// writes it back.
/// </summary>
public sealed class FleetPartitionTests(ITestOutputHelper output) : FleetTestBase
{
    /// <summary>
    /// Far below the 10 min TTL of the copies and the 60 s a cached tag time is trusted, so only the owed
    /// announcement can end the stale window within it; its design bound is the reconnect plus 250 ms.
    /// </summary>
    private static readonly TimeSpan StaleBound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task What_a_process_did_while_cut_off_from_Redis_reaches_every_tier_of_the_fleet_once_it_is_back()
    {
        await using var relay = new TcpRelay(_server.Port);
        var writer = await StartWorkerAsync(coherenceCheckSeconds: 1, operationTimeoutMs: 500, redisUrl: relay.RedisUrl);
        var holder = await StartWorkerAsync(coherenceCheckSeconds: 1);
        var figures = new List<string>();
        var oldReadAfter = 0;
        var resurrected = 0;
        var longest = TimeSpan.Zero;
        var round = 0;

        foreach (var operation in new[] { "del", "set", "tag", "prefix", "clear" })
        {
            round++;
            var key = $"cut:{round}:k";
            var tag = $"t{round}";
            var old = $"HIT v{round}";

            // The holder keeps the value in memory, in Redis and on its own disk folder; the writer has read it too.
            Assert.Equal("OK", await holder.AskAsync(operation == "tag" ? $"tagset {key} {tag} v{round}" : $"set {key} v{round}"));
            Assert.Equal($"MEM v{round}", await holder.AskAsync($"mem {key}"));
            Assert.Equal(old, await writer.AskAsync($"get {key}"));

            relay.Cut();
            await EventuallyAsync(writer, "redis", "DOWN");
            var command = operation switch
            {
                "del" => $"del {key}",
                "set" => $"set {key} w{round}",
                "tag" => $"tag {tag}",
                "prefix" => $"prefix cut:{round}:",
                _ => "clear",
            };
            Assert.Equal(operation == "del" ? "DELETED" : "OK", await writer.AskAsync(command));
            Assert.Equal(operation == "set" ? $"HIT w{round}" : "MISS", await writer.AskAsync($"get {key}"));

            // While cut off, the holder cannot know (Redis is up for it, and nothing reached Redis).
            var servedWhileCut = await holder.AskAsync($"get {key}") == old ? "yes" : "no";
            await Task.Delay(1500);

            relay.Restore();
            var clock = Stopwatch.StartNew();
            var stale = 0;
            var read = "";
            while (clock.Elapsed < StaleBound && (read = await holder.AskAsync($"get {key}")) == old)
            {
                stale++;
                await Task.Delay(20);
            }

            var window = clock.Elapsed;
            longest = window > longest ? window : longest;

            // The writer's value never reached Redis, and the holder's disk copy is void: a miss.
            Assert.Equal("MISS", read);
            await EventuallyAsync(writer, "redis", "UP");
            for (var i = 0; i < 5; i++)
            {
                oldReadAfter += await holder.AskAsync($"get {key}") == old ? 1 : 0;
                oldReadAfter += await writer.AskAsync($"get {key}") == old ? 1 : 0;
                await Task.Delay(100);
            }

            // No read promoted the holder's disk copy back into Redis.
            resurrected += await _redis.GetDatabase().KeyExistsAsync(RedisKey(key)) ? 1 : 0;
            figures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{operation} while cut off: old value served by the holder during the cut: {servedWhileCut}; after Redis was back: {stale} times, for {window.TotalMilliseconds:F0} ms"));
        }

        figures.ForEach(output.WriteLine);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{round} rounds, each made by a process cut off from Redis (circuit open): factory runs 0 (values set, not computed); longest stale window after it reached Redis again {longest.TotalMilliseconds:F0} ms; old values read after it = {oldReadAfter}; keys written back to Redis = {resurrected}"));
        Assert.Equal(0, oldReadAfter);
        Assert.Equal(0, resurrected);
    }

    [Fact]
    public async Task A_cache_closed_while_Redis_is_away_logs_what_it_still_owed_and_one_closed_after_Redis_returned_owes_nothing()
    {
        await using var relay = new TcpRelay(_server.Port);
        var database = _redis.GetDatabase();

        // Closed while still cut off: the delete cannot reach Redis, and the close says so (event 46).
        var away = new LogCollector();
        var cache = await StartCutOffCacheAsync(relay, away, "gone:away");
        Assert.True(await cache.DeleteAsync("gone:away"));
        await cache.DisposeAsync();
        var line = Assert.Single(away.Lines, l => l.EventId == 46);
        Assert.Contains("1 keys, tags or clears", line.Message, StringComparison.Ordinal);
        Assert.True(await database.KeyExistsAsync(RedisKey("gone:away"))); // the old value is still there: what the line warns of

        // Closed after Redis came back: what was owed is in Redis by then, and nothing is reported.
        relay.Restore();
        var back = new LogCollector();
        cache = await StartCutOffCacheAsync(relay, back, "gone:back");
        Assert.True(await cache.DeleteAsync("gone:back"));
        relay.Restore();
        await Eventually.TrueAsync(() => cache.GetStats()["redis"] is { Available: true, CircuitOpen: false }, "Redis to be usable again");
        await cache.DisposeAsync();
        Assert.DoesNotContain(back.Lines, l => l.EventId == 46);
        Assert.False(await database.KeyExistsAsync(RedisKey("gone:back")));
        Assert.True(await database.KeyExistsAsync(RedisKey("gone:back", ":rm")));
    }

    /// <summary>A cache on Redis through <paramref name="relay"/> that has stored <paramref name="key"/> there, then lost Redis.</summary>
    private async Task<CacheManager> StartCutOffCacheAsync(TcpRelay relay, LogCollector logs, string key)
    {
        var options = new CacheOptions { DiskCachePath = NewFolder() }.UseRedis();
        options.Redis.Url = relay.RedisUrl;
        options.Redis.KeyPrefix = _prefix;
        options.Redis.OperationTimeoutMs = 500;
        var cache = new CacheManager(options, logs);
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "Redis to connect");
        await cache.SetAsync(key, "v");
        Assert.True(await _redis.GetDatabase().KeyExistsAsync(RedisKey(key)));
        relay.Cut();
        await Eventually.TrueAsync(() => cache.GetStats()["redis"] is { Available: false } or { CircuitOpen: true }, "Redis to be unusable");
        return cache;
    }
}
