using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CachedMethods.HealthChecks.Tests;

/// <summary>
/// The health checks against a real redis-server: Healthy while it answers, Degraded (never Unhealthy) while it
/// is stopped, Healthy again once it is back. Waits poll for the reported state, bounded at a minute.
/// </summary>
public sealed class TierHealthCheckTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly string _disk = TestEnvironment.NewTempFolder("health");
    private RedisServer _redis = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddCachedMethods(o =>
        {
            o.Environment = CacheEnvironment.Main;
            o.MemoryCacheSizeMb = 16;
            o.DiskCacheSizeGb = 1;
            o.DiskCachePath = _disk;
            o.Redis.Url = _redis.Url;
            o.Redis.KeyPrefix = $"t:{Guid.NewGuid():N}:";
            o.UseRedis();
        });
        services.AddHealthChecks().AddCachedMethods(tags: ["cache"]);
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _redis.DisposeAsync();
        TestEnvironment.DeleteFolder(_disk);
    }

    [Fact]
    public async Task Redis_stopped_is_degraded_not_unhealthy_and_healthy_again_once_it_is_back()
    {
        var health = _services.GetRequiredService<HealthCheckService>();
        var cache = _services.GetRequiredService<CacheManager>();
        Assert.Equal("v", await cache.GetOrCreateAsync("k", _ => new ValueTask<string>("v")));

        var up = await WaitForAsync(health, "cachedmethods-redis", HealthStatus.Healthy);
        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(["cachedmethods-memory", "cachedmethods-persistent", "cachedmethods-redis"], up.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(up.Entries.Values, e => Assert.Contains("cache", e.Tags));

        await _redis.StopAsync();
        var down = await WaitForAsync(health, "cachedmethods-redis", HealthStatus.Degraded);
        Assert.Equal(HealthStatus.Degraded, down.Status);
        Assert.Equal(HealthStatus.Healthy, down.Entries["cachedmethods-memory"].Status);
        Assert.Equal(HealthStatus.Healthy, down.Entries["cachedmethods-persistent"].Status);
        // The cache still serves while Redis is down.
        Assert.Equal("w", await cache.GetOrCreateAsync("other", _ => new ValueTask<string>("w")));

        await _redis.StartAsync();
        var back = await WaitForAsync(health, "cachedmethods-redis", HealthStatus.Healthy);
        Assert.Equal(HealthStatus.Healthy, back.Status);
    }

    [Fact]
    public async Task Calls_while_redis_is_stopped_leave_it_degraded_and_the_cache_serving()
    {
        var health = _services.GetRequiredService<HealthCheckService>();
        var cache = _services.GetRequiredService<CacheManager>();
        await WaitForAsync(health, "cachedmethods-redis", HealthStatus.Healthy);

        await _redis.StopAsync();
        // Calls while the connection is failing: whether each is skipped (not connected) or fails (and counts
        // toward the circuit), the report is Degraded with the reason in its description.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i, await cache.GetOrCreateAsync($"k{i}", _ => new ValueTask<int>(i)));
        }

        var report = await WaitForAsync(health, "cachedmethods-redis", HealthStatus.Degraded);
        var redis = report.Entries["cachedmethods-redis"];
        Assert.Matches("circuit is open|not reachable", redis.Description);
        Assert.NotEqual(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task A_tier_not_configured_is_healthy()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCachedMethods(o =>
        {
            o.Environment = CacheEnvironment.Main;
            o.MemoryCacheSizeMb = 16;
            o.DiskCacheSizeGb = 0;
        });
        services.AddHealthChecks().AddCachedMethods();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains("not configured", report.Entries["cachedmethods-redis"].Description, StringComparison.Ordinal);
        Assert.Contains("not configured", report.Entries["cachedmethods-persistent"].Description, StringComparison.Ordinal);
    }

    private static async Task<HealthReport> WaitForAsync(HealthCheckService health, string check, HealthStatus status)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var report = await health.CheckHealthAsync();
            if (report.Entries[check].Status == status || DateTime.UtcNow > deadline)
            {
                Assert.True(report.Entries[check].Status == status, $"{check} stayed {report.Entries[check].Status} ({report.Entries[check].Description}) for {Bound}, waiting for {status}.");
                return report;
            }

            await Task.Delay(100);
        }
    }
}
