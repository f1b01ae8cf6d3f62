using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// A change that has begun reaches the fleet even when its caller stops waiting: the token ends the wait, never the
/// change halfway. Real redis-server, slowed with <c>CLIENT PAUSE WRITE</c> so that the caller's token fires while
/// the removal is on its way; two caches in this process stand in for two processes.
/// </summary>
public sealed class FleetCancellationTests : FleetTestBase
{
    [Fact]
    public async Task A_delete_whose_caller_stops_waiting_still_makes_the_other_process_drop_its_copy()
    {
        await using var a = await StartCacheAsync();
        await using var b = await StartCacheAsync();
        await a.SetAsync("doc-1", "old");
        Assert.Equal(new CacheResult<string>(true, "old"), await b.GetAsync<string>("doc-1"));

        // Writes (the removal script, the publish) wait 1.5 s at the server; the caller gives up after 0.2 s.
        await _redis.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "1500", "WRITE");
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.DeleteAsync("doc-1", giveUp.Token).AsTask());

        // B held the value in memory: it drops it once the delete has gone through, instead of serving it until its TTL.
        Assert.True(await NoLongerHeldAsync(b, "doc-1"), "B still serves the deleted value");
        Assert.False((await a.GetAsync<string>("doc-1")).HasValue);
    }

    [Fact]
    public async Task An_invalidation_whose_caller_stops_waiting_still_reaches_the_other_process()
    {
        await using var a = await StartCacheAsync();
        await using var b = await StartCacheAsync();
        await a.SetAsync(CacheKey.FromString("report-1"), "old", new CacheEntryOptions { Ttl = TimeSpan.FromHours(1), Tags = ["customer-9"] });
        Assert.Equal(new CacheResult<string>(true, "old"), await b.GetAsync<string>("report-1"));

        await _redis.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "1500", "WRITE");
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.InvalidateTagAsync("customer-9", giveUp.Token).AsTask());

        Assert.True(await NoLongerHeldAsync(b, "report-1"), "B still serves the invalidated value");
    }

    private static async Task<bool> NoLongerHeldAsync(CacheManager cache, string key)
    {
        // A liveness bound well past the pause, not a timing assertion.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (!(await cache.GetAsync<string>(key)).HasValue)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
