using System.Collections.Concurrent;
using CachedMethods.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CachedMethods;

/// <summary>
/// The tier engine: memory, then Redis, then the persistent tier (disk, or S3 on AWS Batch). A hit in a
/// lower tier is promoted to every tier above it with the entry's remaining TTL; a write goes through
/// to every enabled tier.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. A cache failure never reaches the caller: a tier that throws, times out or is down is
/// logged, counted in <see cref="GetStats"/>, and the operation goes on as a miss. Factory exceptions do
/// reach the caller, and are never cached. See docs/architecture.md for a call's path.
/// </para>
/// <para>
/// Synchronous members never block on asynchronous code: a store without synchronous I/O (S3) is a miss
/// for synchronous reads, and receives synchronous writes through a bounded background queue that
/// <see cref="DisposeAsync"/> drains.
/// </para>
/// </remarks>
public sealed partial class CacheManager : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan DiskTimeout = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ICacheSerializer _serializer;
    private readonly CacheEntryOptions _defaultEntryOptions;
    private readonly MemoryCacheTier? _memory;
    private readonly TierCounters _memoryCounters = new();
    private readonly GuardedStore? _redis;
    private readonly GuardedStore? _persistent;
    private readonly GuardedStore[] _stores;
    private readonly BackgroundWriter? _backgroundWriter;
    private readonly ConcurrentDictionary<CacheKey, object> _flights = new();
    private readonly ConcurrentDictionary<CacheKey, object> _syncFlights = new();
    private long _requestsPastMemoryHit;
    private int _disposed;

    /// <summary>Builds the tiers that <paramref name="options"/> enable. Never throws because a server is down.</summary>
    /// <exception cref="CacheConfigurationException">A setting is not valid.</exception>
    public CacheManager(CacheOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DefaultTtlSeconds <= 0)
        {
            throw new CacheConfigurationException($"DefaultTtlSeconds must be positive (was {options.DefaultTtlSeconds}).");
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        Options = options;
        _logger = loggerFactory.CreateLogger<CacheManager>();
        _time = options.TimeProvider;
        _serializer = options.Serializer ?? new MessagePackCacheSerializer(options.CompressionThresholdBytes);
        _defaultEntryOptions = new CacheEntryOptions { Ttl = options.DefaultTtl };
        Environment = options.ResolvedEnvironment;

        if (options.EnableCache)
        {
            if (options.ResolvedMemoryBytes > 0)
            {
                _memory = new MemoryCacheTier(options.ResolvedMemoryBytes, _time);
            }

            _redis = CreateRedis(options, loggerFactory);
            _persistent = CreatePersistent(options, loggerFactory);
        }

        _stores = new[] { _redis, _persistent }.OfType<GuardedStore>().ToArray();
        AttachCoordinator();
        if (_stores.Any(static s => !s.CanRunSynchronously))
        {
            _backgroundWriter = new BackgroundWriter(options.BackgroundQueueCapacity, _logger);
        }

        Log.Started(_logger, Environment, options.ResolvedMemoryBytes / (1024 * 1024), _redis?.Name ?? "off", _persistent?.Name ?? "off");
    }

    /// <summary>The options this manager was built from.</summary>
    public CacheOptions Options { get; }

    /// <summary>Where this process runs: main, worker, or AWS Batch.</summary>
    public CacheEnvironment Environment { get; }

    /// <summary>The memory tier, or <see langword="null"/> when disabled.</summary>
    public MemoryCacheTier? MemoryTier => _memory;

    /// <summary>The Redis store while it is connected and answering; <see langword="null"/> when disabled or unavailable.</summary>
    /// <remarks>Use it as a health check: <c>if (cache.RedisTier is null)</c>.</remarks>
    public ICacheStore? RedisTier => _redis is { IsUsable: true } redis ? redis.Store : null;

    /// <summary>The persistent store (disk or S3) while it answers; <see langword="null"/> when disabled or failing.</summary>
    public ICacheStore? PersistentTier => _persistent is { IsUsable: true } persistent ? persistent.Store : null;

    /// <summary>
    /// Builds a deterministic key from a document hash and named parameters: equal inputs give equal
    /// keys in every process, culture and machine; parameter order does not matter.
    /// </summary>
    /// <returns>A 64-character hex string: no argument value appears in it.</returns>
    /// <exception cref="ArgumentException">A parameter's value has no deterministic encoding, or a name repeats.</exception>
    public string GenerateKey(string documentHash, params (string Name, object? Value)[] parameters) =>
        CacheKeys.Generate(documentHash, parameters);

    /// <summary>Counts of every tier since start (or since <see cref="ResetStats"/>).</summary>
    public CacheStats GetStats()
    {
        var tiers = new List<TierStats>(3);
        if (_memory is not null)
        {
            tiers.Add(new TierStats("memory", _memoryCounters.Hits, _memoryCounters.Misses, 0, _memory.Count, _memory.SizeBytes, true, _memoryCounters.Skipped));
        }

        foreach (var store in _stores)
        {
            var usage = store.GetUsage();
            tiers.Add(new TierStats(store.Name, store.Counters.Hits, store.Counters.Misses, store.Counters.Errors, usage.Entries, usage.Bytes, store.IsUsable, store.Counters.Skipped));
        }

        var requests = _memoryCounters.Hits + Interlocked.Read(ref _requestsPastMemoryHit);
        var hits = tiers.Sum(static t => t.Hits);
        return new CacheStats(requests, hits, Environment, tiers);
    }

    /// <summary>Sets every counter of <see cref="GetStats"/> back to zero.</summary>
    public void ResetStats()
    {
        _memoryCounters.Reset();
        foreach (var store in _stores)
        {
            store.Counters.Reset();
        }

        Interlocked.Exchange(ref _requestsPastMemoryHit, 0);
    }

    /// <summary>Drains the background write queue and closes the stores.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        DetachCoordinator();
        if (_backgroundWriter is not null)
        {
            await _backgroundWriter.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var store in _stores)
        {
            try
            {
                await store.Store.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.StoreFailed(_logger, store.Name, "dispose", ex.GetType().Name, ex);
            }
        }
    }

    /// <summary>
    /// Closes the stores. Prefer <see cref="DisposeAsync"/>, which also drains the background queue of
    /// writes to stores without synchronous I/O; this method abandons writes still queued.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        DetachCoordinator();
        foreach (var store in _stores)
        {
            if (store.Store is IDisposable disposable)
            {
                disposable.Dispose();
            }
            else if (store.CanRunSynchronously)
            {
                // A synchronous store finishes its DisposeAsync synchronously; nothing here blocks on I/O.
                _ = store.Store.DisposeAsync();
            }
        }
    }

    private GuardedStore? CreateRedis(CacheOptions options, ILoggerFactory loggerFactory)
    {
        if (!options.Redis.IsConfigured)
        {
            return null;
        }

        if (options.RedisStoreFactory is null)
        {
            Log.StoreNotRegistered(_logger, "Redis", "UseRedis", "CachedMethods.Redis");
            return null;
        }

        return Guard(() => options.RedisStoreFactory(options, loggerFactory), TimeSpan.FromMilliseconds(options.Redis.OperationTimeoutMs), "redis");
    }

    private GuardedStore? CreatePersistent(CacheOptions options, ILoggerFactory loggerFactory)
    {
        if (options.S3.IsConfigured)
        {
            if (options.S3StoreFactory is not null)
            {
                return Guard(() => options.S3StoreFactory(options, loggerFactory), TimeSpan.FromMilliseconds(options.S3.OperationTimeoutMs), "s3");
            }

            Log.StoreNotRegistered(_logger, "S3_CACHE_BUCKET", "UseS3", "CachedMethods.S3");
        }

        if (options.DiskCacheSizeGb <= 0)
        {
            return null;
        }

        var root = Path.Combine(options.DiskCachePath, options.ResolvedWorkerFolder);
        var limit = (long)(options.DiskCacheSizeGb * 1024 * 1024 * 1024);
        return Guard(() => new DiskCacheStore(root, limit, _time), DiskTimeout, "disk");
    }

    private GuardedStore? Guard(Func<ICacheStore> create, TimeSpan timeout, string name)
    {
        try
        {
            var store = create();
            return new GuardedStore(store, timeout, _time, _logger);
        }
        catch (CacheConfigurationException)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.TierUnavailable(_logger, name, ex);
            return null;
        }
    }
}
