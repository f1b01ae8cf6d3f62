using System.Diagnostics;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// Issue 9 against real processes and a real redis-server: a delete is final in every process and tier.
/// Each test prints its figures; the count of deleted values read must be 0.
/// </summary>
public sealed class FleetCorrectnessTests(ITestOutputHelper output) : FleetTestBase
{
    private const int Rounds = 20;

    [Fact]
    public async Task A_delete_is_final_while_another_process_holds_the_value_in_memory_and_on_its_own_disk()
    {
        var holder = await StartWorkerAsync();
        await using var cache = await StartCacheAsync();
        var memoryDrops = new List<double>();
        var deletedRead = 0;

        for (var round = 0; round < Rounds; round++)
        {
            var key = $"doc-{round % 3}";
            // The holder writes memory, Redis and its own disk folder; this process reads it into its memory.
            Assert.Equal("OK", await holder.AskAsync($"set {key} v{round}"));
            Assert.Equal($"v{round}", (await cache.GetAsync<string>(key)).Value);
            Assert.Equal($"MEM v{round}", await holder.AskAsync($"mem {key}"));

            var clock = Stopwatch.StartNew();
            if (round % 5 == 4)
            {
                await cache.ClearAsync();
            }
            else
            {
                Assert.True(await cache.DeleteAsync(key));
            }

            // The holder's memory copy goes through the channel (the bounded propagation delay measured here);
            // its disk copy stays on disk, and must never be served or promoted again.
            await EventuallyAsync(holder, $"mem {key}", "NOMEM");
            memoryDrops.Add(clock.Elapsed.TotalMilliseconds);
            deletedRead += await holder.AskAsync($"get {key}") == "MISS" ? 0 : 1;
            deletedRead += (await cache.GetAsync<string>(key)).HasValue ? 1 : 0;
            deletedRead += await _redis.GetDatabase().KeyExistsAsync(RedisKey(key)) ? 1 : 0;
        }

        memoryDrops.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Rounds} rounds (every 5th a clear): deleted values read = {deletedRead}; the other process's memory copy gone after p50 {memoryDrops[Rounds / 2]:F0} ms, p99 {memoryDrops[^1]:F0} ms (as seen through its stdin/stdout)"));
        Assert.Equal(0, deletedRead);
    }

    [Fact]
    public async Task A_computation_that_overlaps_a_delete_is_not_stored_as_the_fleets_value()
    {
        var worker = await StartWorkerAsync();
        await using var cache = await StartCacheAsync();

        // The worker's factory runs for 3 s; the delete lands in the middle of it.
        await worker.SendAsync("compute overlapped 1 3000");
        await Eventually.TrueAsync(() => (long)_redis.GetDatabase().StringGet(RunsKey("overlapped")) == 1, "the factory to start");
        await cache.DeleteAsync("overlapped");
        var reply = await worker.ReadLineAsync(TimeSpan.FromMinutes(2));

        Assert.StartsWith("DONE distinct=1 ", reply);
        var stored = await _redis.GetDatabase().KeyExistsAsync(RedisKey("overlapped"));
        var read = await worker.AskAsync("get overlapped");
        output.WriteLine($"computation overlapping a delete: stored in Redis = {stored}; the worker then reads {read}");
        Assert.False(stored);
        Assert.Equal("MISS", read);
    }

    [Fact]
    public async Task A_holder_frozen_past_its_lock_expiry_is_fenced_out_when_it_resumes()
    {
        var holder = await StartWorkerAsync(lockExpirySeconds: 2);
        var taker = await StartWorkerAsync(lockExpirySeconds: 2);
        var reader = await StartWorkerAsync(lockExpirySeconds: 2);

        await holder.SendAsync("compute frozen 1 4000");
        await Eventually.TrueAsync(() => (long)_redis.GetDatabase().StringGet(RunsKey("frozen")) == 1, "the holder's factory run to be counted");
        await holder.SignalAsync("STOP");
        string takeover;
        try
        {
            // The frozen holder renews nothing: its lock expires and the taker computes.
            takeover = await taker.AskAsync("compute frozen 3 500", TimeSpan.FromMinutes(2));
        }
        finally
        {
            await holder.SignalAsync("CONT");
        }

        // The holder resumes, finishes its factory and tries to store and release under its old token.
        var resumed = await holder.ReadLineAsync(TimeSpan.FromMinutes(2));
        var fleetValue = Field(takeover, "value");
        var holderValue = Field(resumed, "value");
        var read = await reader.AskAsync("get frozen");
        var fencedRead = read == $"HIT {holderValue}" ? 1 : 0;
        output.WriteLine($"holder frozen with SIGSTOP past its 2 s lock: the taker's callers waited up to {Field(takeover, "maxwait")} ms; factory runs {(long)await _redis.GetDatabase().StringGetAsync(RunsKey("frozen"))}; fenced values read = {fencedRead}");
        Assert.StartsWith("DONE distinct=1 ", takeover);
        Assert.StartsWith($"{taker.Id}-", fleetValue);
        Assert.StartsWith($"{holder.Id}-", holderValue);
        Assert.Equal($"HIT {fleetValue}", read);
        Assert.Equal(0, fencedRead);
        Assert.Equal(2, (long)await _redis.GetDatabase().StringGetAsync(RunsKey("frozen")));
    }

    [Fact]
    public async Task Soft_and_hard_timeouts_bound_waiters_in_other_processes_and_the_holder_keeps_its_lock()
    {
        var holder = await StartWorkerAsync(lockExpirySeconds: 2);
        var waiters = new[] { await StartWorkerAsync(lockExpirySeconds: 2), await StartWorkerAsync(lockExpirySeconds: 2) };

        // Soft: every process has the stale value; the factory takes 5 s, well past the 2 s lock expiry.
        Assert.Equal("OK", await holder.AskAsync("stale soft old"));
        await holder.SendAsync("computex soft 1 5000 300 60000");
        await Eventually.TrueAsync(() => (long)_redis.GetDatabase().StringGet(RunsKey("soft")) == 1, "the holder's factory run to be counted");
        var softReplies = new List<string> { await holder.ReadLineAsync(TimeSpan.FromMinutes(2)) };
        foreach (var waiter in waiters)
        {
            softReplies.Add(await waiter.AskAsync("computex soft 4 5000 300 60000", TimeSpan.FromMinutes(2)));
        }

        // The holder's background factory stores under its renewed lock; nobody else ran it.
        await EventuallyAsync(waiters[0], "get soft", "HIT " + await WaitForValueAsync("soft", holder.Id));
        var softRuns = (long)await _redis.GetDatabase().StringGetAsync(RunsKey("soft"));

        // Hard: no stale value; the waiters give up at their 1 s hard timeout while the holder computes for 5 s.
        await holder.SendAsync("computex hard 1 5000 0 60000");
        await Eventually.TrueAsync(() => (long)_redis.GetDatabase().StringGet(RunsKey("hard")) == 1, "the holder's factory run to be counted");
        var hardReplies = new List<string>();
        foreach (var waiter in waiters)
        {
            hardReplies.Add(await waiter.AskAsync("computex hard 4 5000 0 1000", TimeSpan.FromMinutes(2)));
        }

        var holderHard = await holder.ReadLineAsync(TimeSpan.FromMinutes(2));
        var hardRuns = (long)await _redis.GetDatabase().StringGetAsync(RunsKey("hard"));
        output.WriteLine($"soft 300 ms with a stale value: waiters' longest wait {softReplies.Skip(1).Max(r => int.Parse(Field(r, "maxwait"), System.Globalization.CultureInfo.InvariantCulture))} ms, factory runs {softRuns}");
        output.WriteLine($"hard 1000 ms without one: waiters' longest wait {hardReplies.Max(r => int.Parse(Field(r, "maxwait"), System.Globalization.CultureInfo.InvariantCulture))} ms, {hardReplies.Sum(r => int.Parse(Field(r, "timeouts"), System.Globalization.CultureInfo.InvariantCulture))} of 8 calls timed out, factory runs {hardRuns}");

        Assert.All(softReplies, r => Assert.Equal("old", Field(r, "value")));
        Assert.Equal(1, softRuns);
        Assert.All(hardReplies, r => Assert.Equal("4", Field(r, "timeouts")));
        Assert.StartsWith("DONE distinct=1 ", holderHard);
        Assert.Equal(1, hardRuns);
    }

    /// <summary>Waits until Redis holds a value the given process computed, and returns it.</summary>
    private async Task<string> WaitForValueAsync(string key, int processId)
    {
        await using var cache = await StartCacheAsync();
        var value = "";
        await Eventually.TrueAsync(() => value.StartsWith($"{processId}-", StringComparison.Ordinal), $"a value from process {processId}", TimeSpan.FromSeconds(60), async () =>
        {
            cache.MemoryStore?.Clear();
            var found = await cache.GetAsync<string>(key);
            value = found.HasValue ? found.Value! : "";
        });
        return value;
    }
}
