using CachedMethods.Redis;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// A copy read from a process's own persistent tier is promoted to Redis only where Redis holds no value: it may be
/// older than a value another process wrote after this process looked in Redis, and must not replace it. Real
/// redis-server and disk store; the disk read is held at a gate so that the other process's write lands between
/// the reader's Redis miss and its promotion, the race a slow disk or a busy machine opens.
/// </summary>
public sealed class PromotionTests : FleetTestBase
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_disk_copy_promoted_while_another_process_writes_never_replaces_that_write()
    {
        var folder = NewFolder();
        var storageId = CacheKey.FromString("page-7").StorageId;

        // A first run of the reader's process leaves v2 on its disk; Redis then loses the key (evicted, no removal).
        StackExchange.Redis.RedisKey redisKey;
        await using (var first = StartEngine(folder, gate: null))
        {
            await Eventually.TrueAsync(() => first.RedisStore is not null, "Redis to connect", Safety);
            redisKey = ((RedisCacheStore)first.RedisStore!).GetRedisKey(storageId);
            await first.SetAsync("page-7", "v2");
        }

        Assert.True(await _redis.GetDatabase().KeyDeleteAsync(redisKey), "v2 never reached Redis");

        var gate = new ReadGate();
        await using var reader = StartEngine(folder, gate);
        await using var writer = StartEngine(folder: null, gate: null);
        await Eventually.TrueAsync(() => reader.RedisStore is not null && writer.RedisStore is not null, "Redis to connect", Safety);

        // The reader misses in Redis and stops at its disk; meanwhile the writer stores v5, and is done.
        gate.Arm(storageId);
        var read = reader.GetAsync<string>("page-7").AsTask();
        await gate.Reached.WaitAsync(Safety);
        await writer.SetAsync("page-7", "v5");
        gate.Open();
        await read.WaitAsync(Safety);

        // The write was the last one: every process, the reader included, now reads v5, never the older disk copy.
        await using var third = StartEngine(folder: null, gate: null);
        await Eventually.TrueAsync(() => third.RedisStore is not null, "Redis to connect", Safety);
        Assert.Equal(new CacheResult<string>(true, "v5"), await third.GetAsync<string>("page-7"));
        Assert.Equal(new CacheResult<string>(true, "v5"), await reader.GetAsync<string>("page-7"));
    }

    public enum Change
    {
        Delete,
        Set,
        Tag,
        Clear,
    }

    [Theory]
    [InlineData(Change.Delete)]
    [InlineData(Change.Set)]
    [InlineData(Change.Tag)]
    [InlineData(Change.Clear)]
    public async Task A_read_that_began_before_a_change_does_not_put_the_old_value_back_in_memory(Change change)
    {
        // One process, memory and disk: the read finds v1 on disk, the change completes, then the read goes on.
        var gate = new ReadGate();
        await using var cache = StartEngine(NewFolder(), gate, redis: false);
        var key = CacheKey.FromString("page-9");
        await cache.SetAsync(key, "v1", new CacheEntryOptions { Ttl = TimeSpan.FromHours(1), Tags = ["doc-9"] });
        await cache.ClearAsync(CacheTiers.Memory);

        gate.Arm(key.StorageId);
        var read = cache.GetAsync<string>(key).AsTask();
        await gate.Reached.WaitAsync(Safety);
        switch (change)
        {
            case Change.Delete:
                Assert.True(await cache.DeleteAsync(key));
                break;
            case Change.Set:
                await cache.SetAsync(key, "v2");
                break;
            case Change.Tag:
                await cache.InvalidateTagAsync("doc-9");
                break;
            case Change.Clear:
                await cache.ClearAsync();
                break;
        }

        // The read overlapped the change: v1 or nothing are both fair answers to it.
        gate.Open();
        Assert.NotEqual("v2", (await read.WaitAsync(Safety)).Value);

        // The change came last: the cache holds what it left, never what the read found before it.
        Assert.Equal(change == Change.Set ? new CacheResult<string>(true, "v2") : default, await cache.GetAsync<string>(key));
    }

    private CacheManager StartEngine(string? folder, ReadGate? gate, bool redis = true)
    {
        var options = new CacheOptions { DiskCacheSizeGb = 0 };
        if (redis)
        {
            options.UseRedis();
            options.Redis.Url = _server.Url;
            options.Redis.KeyPrefix = _prefix;
            options.Redis.OperationTimeoutMs = 5000;
        }

        if (folder is not null)
        {
            // The persistent slot, filled with the real disk store behind a gate.
            options.S3.Bucket = "unused";
            options.S3.OperationTimeoutMs = 120_000;
            options.S3StoreFactory = (_, _) => new GatedStore(new DiskCacheStore(folder, 1L << 30), gate);
        }

        return new CacheManager(options);
    }

    /// <summary>Holds the first read of one storage id until opened.</summary>
    private sealed class ReadGate
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _armedFor;

        public Task Reached => _reached.Task;

        public void Arm(string storageId) => Volatile.Write(ref _armedFor, storageId);

        public void Open() => _open.TrySetResult();

        public async ValueTask PassAsync(string storageId)
        {
            if (Interlocked.CompareExchange(ref _armedFor, null, storageId) == storageId)
            {
                _reached.TrySetResult();
                await _open.Task;
            }
        }
    }

    /// <summary>The real disk store; its asynchronous read of the armed id waits at the gate once it has read.</summary>
    private sealed class GatedStore(DiskCacheStore inner, ReadGate? gate) : ICacheStore
    {
        public CacheTiers Tier => CacheTiers.Persistent;

        public string Name => "gated-disk";

        public bool IsAvailable => true;

        public bool SupportsSynchronousIo => false;

        public byte[]? Get(string storageId) => inner.Get(storageId);

        public async ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken)
        {
            // Read first, then held: the caller gets what the disk held when the read began.
            var frame = await inner.GetAsync(storageId, cancellationToken);
            if (gate is not null)
            {
                await gate.PassAsync(storageId);
            }

            return frame;
        }

        public void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive) => inner.Set(storageId, envelope, timeToLive);

        public ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken) =>
            inner.SetAsync(storageId, envelope, timeToLive, cancellationToken);

        public bool Delete(string storageId) => inner.Delete(storageId);

        public ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken) => inner.DeleteAsync(storageId, cancellationToken);

        public long Clear() => inner.Clear();

        public ValueTask<long> ClearAsync(CancellationToken cancellationToken) => inner.ClearAsync(cancellationToken);

        public StoreUsage GetUsage() => inner.GetUsage();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
