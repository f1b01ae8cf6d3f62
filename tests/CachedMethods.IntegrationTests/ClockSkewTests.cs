using CachedMethods.Redis;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// A process whose clock runs ahead reads the fleet's entries as expired: a miss for it, and nothing more. Real
/// redis-server; two caches in this process stand in for two machines, one of them two days ahead.
/// </summary>
public sealed class ClockSkewTests : FleetTestBase
{
    [Fact]
    public async Task A_process_whose_clock_runs_ahead_misses_but_leaves_the_fleets_entry_in_redis()
    {
        await using var writer = await StartCacheAsync();
        await writer.SetAsync("doc-3", "v1", TimeSpan.FromHours(1));

        var options = new CacheOptions { DiskCacheSizeGb = 0, TimeProvider = new AheadTimeProvider(TimeSpan.FromDays(2)) }.UseRedis();
        options.Redis.Url = _server.Url;
        options.Redis.KeyPrefix = _prefix;
        options.Redis.OperationTimeoutMs = 5000;
        await using var ahead = new CacheManager(options);
        await Eventually.TrueAsync(() => ahead.RedisStore is not null, "Redis to connect");

        Assert.False((await ahead.GetAsync<string>("doc-3")).HasValue);

        var redisKey = ((RedisCacheStore)writer.RedisStore!).GetRedisKey(CacheKey.FromString("doc-3").StorageId);
        Assert.True(await _redis.GetDatabase().KeyExistsAsync(redisKey), "the skewed reader deleted the fleet's entry");
        await using var third = await StartCacheAsync();
        Assert.Equal(new CacheResult<string>(true, "v1"), await third.GetAsync<string>("doc-3"));
    }

    /// <summary>The system clock's wall time moved ahead; its timers and timestamps left alone.</summary>
    private sealed class AheadTimeProvider(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
