using CachedMethods.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CachedMethods.Redis.Tests;

/// <summary>UseRedis() under AddCachedMethods takes the application's own multiplexer from the container.</summary>
[Collection(RedisFixture.Collection)]
public sealed class ContainerConnectionTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly string _disk = TestEnvironment.NewTempFolder("redis-di");
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync($"{redis.Host}:{redis.Port}");

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        TestEnvironment.DeleteFolder(_disk);
    }

    [Fact]
    public async Task A_registered_multiplexer_turns_the_tier_on_without_a_url_and_outlives_the_engine()
    {
        var prefix = redis.UniquePrefix();
        var provider = new ServiceCollection()
            .AddSingleton<IConnectionMultiplexer>(_connection)
            .AddCachedMethods(o =>
            {
                o.Redis.Url = null;
                o.Redis.Host = null;
                o.Redis.KeyPrefix = prefix;
                o.DiskCachePath = _disk;
                o.UseRedis();
            })
            .BuildServiceProvider();
        var cache = provider.GetRequiredService<CacheManager>();

        var store = Assert.IsType<RedisCacheStore>(cache.RedisStore);
        Assert.Same(_connection, store.Connection);
        await cache.SetAsync("page", "text");
        var keys = _connection.GetServer(_connection.GetEndPoints()[0]).Keys(pattern: prefix + "*").ToList();
        Assert.NotEmpty(keys);

        await provider.DisposeAsync();

        // The container owns the multiplexer: disposing the engine left it open.
        Assert.True(_connection.IsConnected);
        Assert.True(await _connection.GetDatabase().KeyExistsAsync(keys[0]));
    }

    [Fact]
    public void Without_a_registered_multiplexer_or_a_url_the_tier_stays_off()
    {
        using var provider = new ServiceCollection()
            .AddCachedMethods(o =>
            {
                o.Redis.Url = null;
                o.Redis.Host = null;
                o.DiskCachePath = _disk;
                o.UseRedis();
            })
            .BuildServiceProvider();

        Assert.Null(provider.GetRequiredService<CacheManager>().RedisStore);
    }
}
