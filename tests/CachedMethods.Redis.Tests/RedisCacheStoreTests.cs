using CachedMethods.TestSupport;
using StackExchange.Redis;

namespace CachedMethods.Redis.Tests;

[Collection(RedisFixture.Collection)]
public sealed class RedisCacheStoreTests(RedisFixture redis) : IAsyncLifetime
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly List<RedisCacheStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.ClearAsync(CancellationToken.None);
            await store.DisposeAsync();
        }
    }

    [Fact]
    public void Describes_itself_as_the_synchronous_redis_tier()
    {
        var store = NewStore();

        Assert.Equal(CacheTiers.Redis, store.Tier);
        Assert.Equal("redis", store.Name);
        Assert.True(store.SupportsSynchronousIo);
        Assert.True(store.IsAvailable);
        Assert.Equal(StoreUsage.Unknown, store.GetUsage());
    }

    [Fact]
    public async Task A_commit_only_if_absent_fills_an_empty_key_and_never_replaces_a_value()
    {
        var store = NewStore();
        byte[] older = [1, 1, 1], newer = [2, 2, 2];

        // A promotion (only if absent) fills an empty key; then another one finds the key held and leaves it.
        Assert.Equal(CommitOutcome.Stored, await store.CommitAsync(Id(1), newer, Hour, 0, null, onlyIfAbsent: true, CancellationToken.None));
        Assert.Equal(CommitOutcome.Held, await store.CommitAsync(Id(1), older, Hour, 0, null, onlyIfAbsent: true, CancellationToken.None));
        Assert.Equal(CommitOutcome.Held, store.Commit(Id(1), older, Hour, 0, null, onlyIfAbsent: true));
        Assert.Equal(newer, store.Get(Id(1)));

        // The same frame found there (another process promoted it, or Redis answered late) is the value: accepted.
        Assert.Equal(CommitOutcome.Stored, store.Commit(Id(1), newer, Hour, 0, null, onlyIfAbsent: true));

        // A write replaces it.
        Assert.Equal(CommitOutcome.Stored, store.Commit(Id(1), older, Hour, 0, null, onlyIfAbsent: false));
        Assert.Equal(older, store.Get(Id(1)));

        // A removal since the copy was created outranks an empty key: the copy is superseded, not promoted.
        var createdAt = await store.GetTimeAsync(CancellationToken.None);
        Assert.True(await store.RemoveAsync(Id(1), Hour, CancellationToken.None));
        Assert.Equal(CommitOutcome.Superseded, await store.CommitAsync(Id(1), older, Hour, createdAt, null, onlyIfAbsent: true, CancellationToken.None));
        Assert.Null(store.Get(Id(1)));
    }

    [Fact]
    public async Task A_write_created_before_the_value_held_is_superseded_and_a_later_one_replaces_it()
    {
        var store = NewStore();

        // Only the frame's header is read: format bytes, then the creation time (unix ms, little-endian).
        Assert.Equal(CommitOutcome.Stored, await store.CommitAsync(Id(1), FrameCreatedAt(2_000), Hour, 0, null, onlyIfAbsent: false, CancellationToken.None));
        Assert.Equal(CommitOutcome.Superseded, await store.CommitAsync(Id(1), FrameCreatedAt(1_999), Hour, 0, null, onlyIfAbsent: false, CancellationToken.None));
        Assert.Equal(CommitOutcome.Superseded, store.Commit(Id(1), FrameCreatedAt(1_000), Hour, 0, null, onlyIfAbsent: false));
        Assert.Equal(FrameCreatedAt(2_000), store.Get(Id(1)));

        Assert.Equal(CommitOutcome.Stored, store.Commit(Id(1), FrameCreatedAt(2_000), Hour, 0, null, onlyIfAbsent: false));
        Assert.Equal(CommitOutcome.Stored, store.Commit(Id(1), FrameCreatedAt(1_764_700_000_123), Hour, 0, null, onlyIfAbsent: false));
        Assert.Equal(CommitOutcome.Superseded, store.Commit(Id(1), FrameCreatedAt(1_764_700_000_122), Hour, 0, null, onlyIfAbsent: false));
        Assert.Equal(FrameCreatedAt(1_764_700_000_123), store.Get(Id(1)));

        // Bytes of another format are not compared: the write replaces them.
        store.Set(Id(2), Bytes(40), Hour);
        Assert.Equal(CommitOutcome.Stored, store.Commit(Id(2), FrameCreatedAt(1), Hour, 0, null, onlyIfAbsent: false));

        static byte[] FrameCreatedAt(long milliseconds)
        {
            var frame = new byte[40];
            "CM"u8.CopyTo(frame);
            frame[2] = 2;
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(4), milliseconds);
            return frame;
        }
    }

    [Fact]
    public async Task Set_then_get_round_trips_the_bytes()
    {
        var store = NewStore();
        var envelope = Bytes(10_000);

        await store.SetAsync(Id(1), envelope, Hour, CancellationToken.None);
        store.Set(Id(2), envelope, Hour);

        Assert.Equal(envelope, await store.GetAsync(Id(1), CancellationToken.None));
        Assert.Equal(envelope, store.Get(Id(2)));
    }

    [Fact]
    public async Task Get_of_a_missing_entry_is_null()
    {
        var store = NewStore();

        Assert.Null(store.Get(Id(1)));
        Assert.Null(await store.GetAsync(Id(1), CancellationToken.None));
    }

    [Fact]
    public async Task Set_stores_under_the_prefix_with_a_native_ttl()
    {
        var store = NewStore();
        var raw = store.Connection.GetDatabase();

        await store.SetAsync(Id(1), Bytes(8), TimeSpan.FromSeconds(90), CancellationToken.None);
        store.Set(Id(2), Bytes(8), TimeSpan.FromMinutes(10));

        var asyncTtl = await raw.KeyTimeToLiveAsync(store.GetRedisKey(Id(1)));
        var syncTtl = await raw.KeyTimeToLiveAsync(store.GetRedisKey(Id(2)));
        Assert.NotNull(asyncTtl);
        Assert.InRange(asyncTtl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(90));
        Assert.NotNull(syncTtl);
        Assert.InRange(syncTtl.Value, TimeSpan.FromSeconds(91), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Set_with_a_ttl_under_a_millisecond_is_accepted()
    {
        var store = NewStore();

        // Redis rejects PX 0; the store rounds up. The entry may be gone by the time anyone looks.
        await store.SetAsync(Id(1), Bytes(8), TimeSpan.FromTicks(10), CancellationToken.None);
        store.Set(Id(2), Bytes(8), TimeSpan.FromTicks(10));
    }

    [Fact]
    public async Task Set_with_a_ttl_of_zero_removes_the_entry()
    {
        var store = NewStore();
        store.Set(Id(1), Bytes(8), Hour);
        store.Set(Id(2), Bytes(8), Hour);

        store.Set(Id(1), Bytes(8), TimeSpan.Zero);
        await store.SetAsync(Id(2), Bytes(8), TimeSpan.FromSeconds(-1), CancellationToken.None);

        Assert.Null(store.Get(Id(1)));
        Assert.Null(store.Get(Id(2)));
    }

    [Fact]
    public async Task Delete_removes_the_entry_and_says_whether_one_was_there()
    {
        var store = NewStore();
        store.Set(Id(1), Bytes(8), Hour);
        store.Set(Id(2), Bytes(8), Hour);

        Assert.True(store.Delete(Id(1)));
        Assert.False(store.Delete(Id(1)));
        Assert.True(await store.DeleteAsync(Id(2), CancellationToken.None));
        Assert.False(await store.DeleteAsync(Id(2), CancellationToken.None));
        Assert.Null(store.Get(Id(1)));
        Assert.Null(store.Get(Id(2)));
    }

    [Fact]
    public async Task Clear_removes_only_its_own_prefix()
    {
        var mine = NewStore();
        var other = NewStore();
        for (var i = 0; i < 3; i++)
        {
            mine.Set(Id(i), Bytes(8), Hour);
        }

        other.Set(Id(0), Bytes(8), Hour);
        other.Set(Id(1), Bytes(8), Hour);

        Assert.Equal(3, mine.Clear());
        Assert.Equal(0, await mine.ClearAsync(CancellationToken.None));
        Assert.Null(mine.Get(Id(0)));
        Assert.NotNull(other.Get(Id(0)));
        Assert.NotNull(other.Get(Id(1)));
    }

    [Fact]
    public async Task Clear_works_through_more_keys_than_one_batch()
    {
        var store = NewStore();
        const int count = 2_345;
        // Written in waves of 100: thousands of writes in flight at once only measure how busy the machine is.
        foreach (var wave in Enumerable.Range(0, count).Chunk(100))
        {
            await Task.WhenAll(wave.Select(i => store.SetAsync(Id(i), Bytes(4), Hour, CancellationToken.None).AsTask()));
        }

        Assert.Equal(count, await store.ClearAsync(CancellationToken.None));

        for (var i = 0; i < count; i++)
        {
            store.Set(Id(i), Bytes(4), Hour);
        }

        Assert.Equal(count, store.Clear());
        Assert.Null(store.Get(Id(0)));
    }

    [Fact]
    public async Task Clear_escapes_glob_characters_in_the_prefix()
    {
        var unique = redis.UniquePrefix();
        var store = NewStore(unique + @"[ab]?*\:");
        var raw = store.Connection.GetDatabase();

        // Each of these matches the unescaped pattern "{unique}[ab]?*\:*" but is not under the prefix.
        RedisKey[] strangers = [unique + "aQzz:k", unique + "bX:", unique + @"a?*\:k"];
        foreach (var key in strangers)
        {
            await raw.StringSetAsync(key, "stranger", Hour);
        }

        store.Set(Id(1), Bytes(8), Hour);
        store.Set(Id(2), Bytes(8), Hour);

        Assert.Equal(2, store.Clear());
        foreach (var key in strangers)
        {
            Assert.True(await raw.KeyExistsAsync(key), $"{key} was removed");
            await raw.KeyDeleteAsync(key);
        }
    }

    [Fact]
    public async Task Database_setting_selects_the_database()
    {
        var store = NewStore(settings => settings.Database = 3);

        await store.SetAsync(Id(1), Bytes(8), Hour, CancellationToken.None);

        Assert.True(await store.Connection.GetDatabase(3).KeyExistsAsync(store.GetRedisKey(Id(1))));
        Assert.False(await store.Connection.GetDatabase(0).KeyExistsAsync(store.GetRedisKey(Id(1))));
        Assert.Equal(1, await store.ClearAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_store_over_a_given_multiplexer_leaves_it_open_on_dispose()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Host + ":" + redis.Server.Port);
        var store = new RedisCacheStore(connection, redis.UniquePrefix());
        store.Set(Id(1), Bytes(8), Hour);

        Assert.Same(connection, store.Connection);
        Assert.Equal(1, store.Clear());
        await store.DisposeAsync();

        Assert.True(connection.IsConnected);
        Assert.True(await connection.GetDatabase().PingAsync() >= TimeSpan.Zero);
    }

    [Fact]
    public async Task A_store_closes_the_multiplexer_it_created()
    {
        var store = new RedisCacheStore(Settings());
        Assert.True(store.IsAvailable);

        await store.DisposeAsync();
        await store.DisposeAsync();

        Assert.False(store.Connection.IsConnected);
    }

    [Fact]
    public async Task An_empty_prefix_is_refused()
    {
        Assert.Throws<CacheConfigurationException>(() => new RedisCacheStore(Settings(prefix: "")));

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Host + ":" + redis.Server.Port);
        Assert.Throws<CacheConfigurationException>(() => new RedisCacheStore(connection, ""));
    }

    [Fact]
    public async Task UseRedis_installs_a_factory_that_builds_the_store()
    {
        var options = new CacheOptions { Redis = Settings() };

        Assert.Same(options, options.UseRedis());

        Assert.NotNull(options.RedisStoreFactory);
        await using var store = options.RedisStoreFactory(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var redisStore = Assert.IsType<RedisCacheStore>(store);
        Assert.Equal(options.Redis.KeyPrefix, redisStore.KeyPrefix);
        Assert.True(store.IsAvailable);
    }

    private RedisCacheStore NewStore(string? prefix = null) => NewStore(settings => settings.KeyPrefix = prefix ?? settings.KeyPrefix);

    private RedisCacheStore NewStore(Action<RedisSettings> configure)
    {
        var settings = Settings();
        configure(settings);
        var store = new RedisCacheStore(settings);
        _stores.Add(store);
        return store;
    }

    // Generous timeouts: the machine is shared, and no test here is about how fast Redis answers.
    private RedisSettings Settings(string? prefix = null) => new()
    {
        Url = redis.Url,
        KeyPrefix = prefix ?? redis.UniquePrefix(),
        OperationTimeoutMs = 30_000,
        ConnectTimeoutMs = 30_000,
    };

    private static string Id(int i) => i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }

        return bytes;
    }
}
