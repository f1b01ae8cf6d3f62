using Xunit;
using Xunit.Abstractions;

namespace CachedMethods.IntegrationTests;

/// <summary>Several real processes against one real redis-server: single-flight, coherence, invalidation.</summary>
public sealed class FleetTests(ITestOutputHelper output) : FleetTestBase
{
    [Fact]
    public async Task Eight_processes_with_fifty_callers_each_run_the_factory_once_and_share_its_value()
    {
        var workers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StartWorkerAsync()));

        foreach (var worker in workers)
        {
            await worker.SendAsync("compute stampede 50 1500");
        }

        var replies = await Task.WhenAll(workers.Select(w => w.ReadLineAsync(TimeSpan.FromMinutes(3))));

        foreach (var reply in replies)
        {
            Assert.StartsWith("DONE distinct=1 ", reply);
        }

        var values = replies.Select(r => Field(r, "value")).Distinct().ToArray();
        Assert.Single(values);
        Assert.Equal(1, (long)await _redis.GetDatabase().StringGetAsync(RunsKey("stampede")));
        output.WriteLine($"8 processes x 50 callers: 1 factory run; longest wait {replies.Max(r => double.Parse(Field(r, "maxwait"), System.Globalization.CultureInfo.InvariantCulture))} ms (factory 1500 ms)");
    }

    [Fact]
    public async Task A_killed_lock_holder_is_replaced_after_its_lock_expires()
    {
        var holder = await StartWorkerAsync(lockExpirySeconds: 2);
        var waiter = await StartWorkerAsync(lockExpirySeconds: 2);
        var lockKey = RedisKey("slow-page", ":lock");

        await holder.SendAsync("compute slow-page 1 600000");
        await Eventually.TrueAsync(() => _redis.GetDatabase().KeyExists(lockKey), "the first worker to take the lock");
        // The assertion counts factory runs, so wait for the holder's run to be counted, not only for its lock:
        // on a busy machine the lock exists well before the factory starts.
        var runs = RunsKey("slow-page");
        await Eventually.TrueAsync(() => (long)_redis.GetDatabase().StringGet(runs) == 1, "the holder's factory run to be counted");
        await waiter.SendAsync("compute slow-page 5 200");
        await holder.KillAsync();

        var reply = await waiter.ReadLineAsync(TimeSpan.FromMinutes(2));

        Assert.StartsWith("DONE distinct=1 ", reply);
        Assert.StartsWith($"{waiter.Id}-", Field(reply, "value"));
        Assert.Equal(2, (long)await _redis.GetDatabase().StringGetAsync(runs));
        output.WriteLine($"holder killed; the waiter took over after the 2 s lock expiry; its longest wait {Field(reply, "maxwait")} ms");
    }

    [Fact]
    public async Task A_delete_in_one_process_drops_the_other_processes_memory_copy()
    {
        var other = await StartWorkerAsync();
        await using var cache = await StartCacheAsync();
        await cache.SetAsync("doc", "v1");
        await ReadIntoMemoryAsync(other, "doc", "v1");

        await cache.DeleteAsync("doc");
        await EventuallyAsync(other, "mem doc", "NOMEM");
        await cache.SetAsync("doc", "v2");

        Assert.Equal("HIT v2", await other.AskAsync("get doc"));
    }

    [Fact]
    public async Task Coherence_messages_resume_after_redis_restarts()
    {
        var other = await StartWorkerAsync();
        await using var cache = await StartCacheAsync();

        await _server.StopAsync();
        await _server.StartAsync();
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "the test process to reconnect", TimeSpan.FromSeconds(90), async () => await cache.GetAsync<string>("probe"));
        // A MISS proves nothing (a worker that cannot reach Redis misses too): wait until the worker reads
        // the value this process writes after the restart, which only a working connection can give it.
        var probe = 0;
        await Eventually.TrueAsync(() => probe < 0, "the worker to read Redis again", TimeSpan.FromSeconds(90), async () =>
        {
            var value = $"p{++probe}";
            await cache.SetAsync("probe", value);
            probe = await other.AskAsync("get probe") == $"HIT {value}" ? -1 : probe;
        });

        await cache.SetAsync("doc", "v2");
        await ReadIntoMemoryAsync(other, "doc", "v2");
        await cache.SetAsync("doc", "v3");

        // Only a message on the restored channel can drop the worker's copy of v2.
        await EventuallyAsync(other, "mem doc", "NOMEM");
        Assert.Equal("HIT v3", await other.AskAsync("get doc"));
    }

    [Fact]
    public async Task Tag_invalidation_reaches_every_tier_and_every_process()
    {
        var other = await StartWorkerAsync();
        await using var cache = await StartCacheAsync();
        await cache.SetAsync(CacheKey.FromString("page-1"), "text 1", new CacheEntryOptions { Tags = ["doc-1"] });
        await cache.SetAsync(CacheKey.FromString("page-9"), "text 9", new CacheEntryOptions { Tags = ["doc-9"] });
        Assert.Equal("HIT text 1", await other.AskAsync("get page-1"));

        Assert.Equal("OK", await other.AskAsync("tag doc-1"));

        await Eventually.TrueAsync(() => !cache.TryGetMemory(CacheKey.FromString("page-1").Canonical, out string _), "the memory copy to go");
        Assert.False((await cache.GetAsync<string>("page-1")).HasValue);
        Assert.Equal("MISS", await other.AskAsync("get page-1"));
        Assert.Equal("HIT text 9", await other.AskAsync("get page-9"));
        // Read as a miss below memory, the entry was deleted there too.
        Assert.False(await _redis.GetDatabase().KeyExistsAsync(RedisKey("page-1")));
    }

    [Fact]
    public async Task Prefix_invalidation_reaches_every_process()
    {
        var other = await StartWorkerAsync();
        await using var cache = await StartCacheAsync();
        await cache.SetAsync("doc:1:page", "p1");
        await cache.SetAsync("doc:1:meta", "m1");
        await cache.SetAsync("doc:2:page", "p2");
        Assert.Equal("HIT p1", await other.AskAsync("get doc:1:page"));
        Assert.Equal("HIT p2", await other.AskAsync("get doc:2:page"));

        await cache.InvalidatePrefixAsync("doc:1:");

        await EventuallyAsync(other, "mem doc:1:page", "NOMEM");
        Assert.Equal("MISS", await other.AskAsync("get doc:1:page"));
        Assert.Equal("MISS", await other.AskAsync("get doc:1:meta"));
        Assert.Equal("HIT p2", await other.AskAsync("get doc:2:page"));
        Assert.False((await cache.GetAsync<string>("doc:1:meta")).HasValue);
    }
}
