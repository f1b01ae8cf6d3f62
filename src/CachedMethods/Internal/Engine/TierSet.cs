using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// The tiers of one engine, top first: the memory store (or none), then the guarded stores below it
/// (Redis, then the persistent tier), with their counters and the admission-by-size rules.
/// </summary>
internal sealed class TierSet
{
    private static readonly TimeSpan DiskTimeout = TimeSpan.FromSeconds(30);

    private readonly int _maxMemoryEntryBytes;
    private readonly int _maxRedisEntryBytes;

    private TierSet(MemoryCacheStore? memory, GuardedStore? redis, GuardedStore? persistent, CacheOptions options, ILogger logger)
    {
        Memory = memory;
        Redis = redis;
        Persistent = persistent;
        Stores = new[] { redis, persistent }.OfType<GuardedStore>().ToArray();
        _maxMemoryEntryBytes = options.MaxMemoryEntryBytes;
        _maxRedisEntryBytes = options.MaxRedisEntryBytes;
        if (Stores.Any(static s => !s.CanRunSynchronously))
        {
            BackgroundWriter = new BackgroundWriter(options.BackgroundQueueCapacity, logger);
        }
    }

    public MemoryCacheStore? Memory { get; }

    /// <summary>The memory tier's misses and size skips; its hits are counted per method (<see cref="MethodRegistry.MemoryHits"/>).</summary>
    public TierCounters MemoryCounters { get; } = new();

    public GuardedStore? Redis { get; }

    public GuardedStore? Persistent { get; }

    /// <summary>The stores below memory, top first.</summary>
    public GuardedStore[] Stores { get; }

    /// <summary>Carries synchronous calls to stores without synchronous I/O; <see langword="null"/> when every store has it.</summary>
    public BackgroundWriter? BackgroundWriter { get; }

    /// <summary>Whether any tier is on; with none, every call goes straight to the factory.</summary>
    public bool Any => Memory is not null || Stores.Length > 0;

    /// <summary>Builds the tiers <paramref name="options"/> enable. A store that cannot be created is logged and left out.</summary>
    public static TierSet Create(CacheOptions options, ILoggerFactory loggerFactory, ILogger logger, MethodRegistry methods)
    {
        if (!options.EnableCache)
        {
            return new TierSet(null, null, null, options, logger);
        }

        var memory = options.ResolvedMemoryBytes > 0 ? new MemoryCacheStore(options.ResolvedMemoryBytes, options.TimeProvider, methods) : null;
        return new TierSet(memory, CreateRedis(options, loggerFactory, logger), CreatePersistent(options, loggerFactory, logger), options, logger);
    }

    /// <summary>Admission by size: a frame over a store's limit skips that store, and the skip is counted.</summary>
    public bool Admits(GuardedStore store, CacheTiers tiers, int frameLength)
    {
        if ((tiers & store.Tier) == 0)
        {
            return false;
        }

        if (store.Tier == CacheTiers.Redis && frameLength > _maxRedisEntryBytes)
        {
            store.Counters.Skip();
            return false;
        }

        return true;
    }

    /// <summary>The memory store when <paramref name="tiers"/> allow it and the entry (<see cref="MemoryCacheStore.EntrySize"/>) fits; else <see langword="null"/> (a skip by size is counted).</summary>
    public MemoryCacheStore? MemoryFor(CacheTiers tiers, long entrySize)
    {
        if (Memory is null || (tiers & CacheTiers.Memory) == 0)
        {
            return null;
        }

        if (entrySize > _maxMemoryEntryBytes)
        {
            MemoryCounters.Skip();
            return null;
        }

        return Memory;
    }

    private static GuardedStore? CreateRedis(CacheOptions options, ILoggerFactory loggerFactory, ILogger logger)
    {
        if (!options.Redis.IsConfigured)
        {
            return null;
        }

        if (options.RedisStoreFactory is null)
        {
            Log.StoreNotRegistered(logger, "Redis", "UseRedis", "CachedMethods.Redis");
            return null;
        }

        return Guard(() => options.RedisStoreFactory(options, loggerFactory), TimeSpan.FromMilliseconds(options.Redis.OperationTimeoutMs), "redis", options, logger);
    }

    private static GuardedStore? CreatePersistent(CacheOptions options, ILoggerFactory loggerFactory, ILogger logger)
    {
        if (options.S3.IsConfigured)
        {
            if (options.S3StoreFactory is not null)
            {
                // One timeout per call: a hung endpoint costs a miss one S3 timeout, not one per operation (issue 14, item 9).
                return Guard(() => options.S3StoreFactory(options, loggerFactory), TimeSpan.FromMilliseconds(options.S3.OperationTimeoutMs), "s3", options, logger, oneBudgetPerCall: true);
            }

            Log.StoreNotRegistered(logger, "S3_CACHE_BUCKET", "UseS3", "CachedMethods.S3");
        }

        if (options.DiskCacheSizeGb <= 0)
        {
            return null;
        }

        var root = Path.Combine(options.DiskCachePath, options.ResolvedWorkerFolder);
        var limit = (long)(options.DiskCacheSizeGb * 1024 * 1024 * 1024);
        return Guard(() => new DiskCacheStore(root, limit, options.TimeProvider), DiskTimeout, "disk", options, logger);
    }

    private static GuardedStore? Guard(Func<ICacheStore> create, TimeSpan timeout, string name, CacheOptions options, ILogger logger, bool oneBudgetPerCall = false)
    {
        try
        {
            return new GuardedStore(create(), timeout, options.TimeProvider, logger, oneBudgetPerCall);
        }
        catch (CacheConfigurationException)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.TierUnavailable(logger, name, ex);
            return null;
        }
    }
}
