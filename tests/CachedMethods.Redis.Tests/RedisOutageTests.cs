using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CachedMethods.Redis.Tests;

/// <summary>Redis down at startup and during a run, each test with a server of its own.</summary>
public sealed class RedisOutageTests
{
    private static readonly string Id = new('a', 64);

    [Fact]
    public async Task A_store_built_while_redis_is_down_connects_once_it_comes_up()
    {
        await using var server = new RedisServer();
        var logger = new ListLogger();

        await using var store = new RedisCacheStore(
            new RedisSettings { Host = server.Host, Port = server.Port, KeyPrefix = "t:outage:", ConnectTimeoutMs = 500, OperationTimeoutMs = 30_000 },
            logger);

        Assert.False(store.IsAvailable);
        Assert.True(logger.Has(LogLevel.Warning, 2001));
        Assert.ThrowsAny<RedisException>(() => store.Get(Id));

        await server.StartAsync();

        Assert.True(await Eventually.HoldsAsync(() => store.IsAvailable), "the store never reconnected");
        await store.SetAsync(Id, new byte[] { 1, 2, 3 }, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(new byte[] { 1, 2, 3 }, await store.GetAsync(Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_store_survives_redis_restarting_and_logs_the_outage()
    {
        await using var server = await RedisServer.StartNewAsync();
        var logger = new ListLogger();
        await using var store = new RedisCacheStore(new RedisSettings { Url = server.Url, KeyPrefix = "t:restart:", OperationTimeoutMs = 30_000 }, logger);
        Assert.True(store.IsAvailable);

        await server.StopAsync();

        Assert.True(await Eventually.HoldsAsync(() => !store.IsAvailable), "the store never noticed the outage");
        await Assert.ThrowsAnyAsync<RedisException>(async () => await store.GetAsync(Id, CancellationToken.None));
        Assert.True(await Eventually.HoldsAsync(() => logger.Has(LogLevel.Warning, 2002)), "no ConnectionFailed warning");

        await server.StartAsync();

        Assert.True(await Eventually.HoldsAsync(() => store.IsAvailable), "the store never reconnected");
        Assert.True(await Eventually.HoldsAsync(() => logger.Has(LogLevel.Information, 2004)), "no ConnectionRestored event");
        store.Set(Id, new byte[] { 4, 5 }, TimeSpan.FromMinutes(1));
        Assert.Equal(new byte[] { 4, 5 }, store.Get(Id));
    }

    [Fact]
    public async Task A_channel_subscription_that_failed_while_redis_was_down_delivers_each_message_once_after_it_comes_up()
    {
        // StackExchange.Redis keeps a handler whose SUBSCRIBE failed and subscribes it on reconnect: subscribing it
        // again on the next publish would deliver every message twice.
        await using var server = new RedisServer();
        await using var store = new RedisCacheStore(
            new RedisSettings { Host = server.Host, Port = server.Port, KeyPrefix = "t:resubscribe:", ConnectTimeoutMs = 500, OperationTimeoutMs = 30_000 });
        var received = new System.Collections.Concurrent.ConcurrentQueue<CoherenceMessage>();
        ((ICacheCoordinator)store).MessageReceived += m =>
        {
            if (m.Kind != CoherenceKind.Reconnected)
            {
                received.Enqueue(m);
            }
        };
        Assert.False(store.IsAvailable);
        await Assert.ThrowsAnyAsync<RedisException>(async () => await ((ICacheCoordinator)store).PublishAsync(new CoherenceMessage(CoherenceKind.Remove, "while-down")));

        await server.StartAsync();
        Assert.True(await Eventually.HoldsAsync(() => store.IsAvailable), "the store never reconnected");
        // The engine publishes on every write: each publish checks the subscription.
        await ((ICacheCoordinator)store).PublishAsync(new CoherenceMessage(CoherenceKind.Remove, "own"));
        await ((ICacheCoordinator)store).PublishAsync(new CoherenceMessage(CoherenceKind.Remove, "own"));

        await using var other = await ConnectionMultiplexer.ConnectAsync($"{server.Host}:{server.Port}");
        Assert.True(await Eventually.HoldsAsync(() => other.GetSubscriber().Publish(RedisChannel.Literal("t:resubscribe:events"), "peer|1|0|first") > 0), "the store never subscribed");
        await other.GetSubscriber().PublishAsync(RedisChannel.Literal("t:resubscribe:events"), "peer|1|0|last");

        Assert.True(await Eventually.HoldsAsync(() => received.Any(m => m.Value == "last")), "the last message never arrived");
        await Task.Delay(200);
        Assert.Equal(["first", "last"], received.Select(m => m.Value).Where(v => v is "first" or "last"));

        // The message count starts at the first check, with no loss reported: none is known to be missing.
        Assert.False(await store.CheckMessagesAsync(CancellationToken.None));
        await ((ICacheCoordinator)store).PublishAsync(new CoherenceMessage(CoherenceKind.Remove, "own"));
        Assert.False(await store.CheckMessagesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_redis_makes_clear_fail_rather_than_report_nothing_removed()
    {
        await using var server = new RedisServer();
        await using var store = new RedisCacheStore(
            new RedisSettings { Host = server.Host, Port = server.Port, KeyPrefix = "t:down:", ConnectTimeoutMs = 500 });

        Assert.ThrowsAny<RedisException>(() => store.Clear());
        await Assert.ThrowsAnyAsync<RedisException>(async () => await store.ClearAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_gives_an_unavailable_store_not_an_exception()
    {
        await using var store = new RedisCacheStore(new RedisSettings { Host = "no-such-host.invalid", KeyPrefix = "t:dns:", ConnectTimeoutMs = 500 });

        Assert.False(store.IsAvailable);
    }
}
