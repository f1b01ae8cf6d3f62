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
}
