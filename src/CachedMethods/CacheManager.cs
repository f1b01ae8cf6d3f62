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
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CacheEntryOptions _defaultEntryOptions;
    private readonly TierSet _tiers;
    private readonly MemoryCacheStore? _memory;
    private readonly IFleetCoordinator _fleet;
    private readonly TierWriter _writer;
    private readonly TierReader _reader;
    private readonly FactoryRunner _runner;
    private readonly RefreshScheduler _refresh;
    private readonly ConcurrentDictionary<CacheKey, object> _flights = new();
    private readonly ConcurrentDictionary<CacheKey, object> _syncFlights = new();
    private readonly ConcurrentDictionary<object, object> _indexes = new(ReferenceEqualityComparer.Instance);
    private readonly MethodRegistry _methods;
    private readonly KeyValuePair<string, object?> _nameTag;
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
        CacheEnvironment = options.ResolvedEnvironment;
        _logger = loggerFactory.CreateLogger<CacheManager>();
        _time = options.TimeProvider;
        _defaultEntryOptions = new CacheEntryOptions { Ttl = options.DefaultTtl };
        var serializer = options.Serializer ?? new MessagePackCacheSerializer(options.CompressionThresholdBytes);

        _methods = new MethodRegistry();
        _nameTag = CacheMetrics.Tag(CacheMetrics.CacheNameTag, options.CacheName);
        _tiers = TierSet.Create(options, loggerFactory, _logger, _methods);
        _memory = _tiers.Memory;
        _fleet = _tiers.Redis is { Store: ICacheCoordinator coordinator } redis
            ? new RedisFleetCoordinator(coordinator, redis.Guard, _memory, options, _logger)
            : new LocalFleetCoordinator(_memory, _time);
        _writer = new TierWriter(_tiers, _fleet, serializer, _time, _logger, options.DefaultTtl + TimeSpan.FromSeconds(options.FailSafeMaxStalenessSeconds));
        _reader = new TierReader(_tiers, _writer, _fleet, serializer, _time, _logger);
        _runner = new FactoryRunner(_writer, _methods, _nameTag, _time, _logger);
        _refresh = new RefreshScheduler(_fleet, _memory, _nameTag, _logger);

        CacheMetrics.Register(this);
        Log.Started(_logger, CacheEnvironment, options.ResolvedMemoryBytes / (1024 * 1024), _tiers.Redis?.Name ?? "off", _tiers.Persistent?.Name ?? "off");
    }

    /// <summary>The options this manager was built from.</summary>
    public CacheOptions Options { get; }

    /// <summary>Where this process runs: main, worker, or AWS Batch.</summary>
    public CacheEnvironment CacheEnvironment { get; }

    /// <summary>The memory store, or <see langword="null"/> when the memory tier is off.</summary>
    public MemoryCacheStore? MemoryStore => _memory;

    /// <summary>The Redis store while it is connected and answering; <see langword="null"/> when off or unavailable.</summary>
    /// <remarks>Use it as a health check: <c>if (cache.RedisStore is null)</c>.</remarks>
    public ICacheStore? RedisStore => _tiers.Redis is { IsUsable: true } redis ? redis.Store : null;

    /// <summary>The persistent store (disk or S3) while it answers; <see langword="null"/> when off or failing.</summary>
    public ICacheStore? PersistentStore => _tiers.Persistent is { IsUsable: true } persistent ? persistent.Store : null;

    /// <summary>
    /// Builds a deterministic key from a document hash and named parameters: equal inputs give equal
    /// keys in every process, culture and machine; parameter order does not matter.
    /// </summary>
    /// <returns>A 64-character hex string: no argument value appears in it.</returns>
    /// <exception cref="ArgumentException">A parameter's value has no deterministic encoding, or a name repeats.</exception>
    public string GenerateKey(string documentHash, params (string Name, object? Value)[] parameters) =>
        CacheKeys.Generate(documentHash, parameters);

    /// <summary>Keys the stores of <paramref name="tiers"/> missed the last write of and still have to settle (tests, diagnostics).</summary>
    internal int UnsettledKeyCount(CacheTiers tiers) =>
        _tiers.Stores.Where(s => (s.Tier & tiers) != 0).Sum(s => s.Unsettled.Overflowed ? UnsettledKeys.Capacity : s.Unsettled.Count);

    /// <summary>Drains the background write queue and closes the stores.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A delete or invalidation Redis did not take yet gets one more try before the process goes.
        await _fleet.SendOwedAsync().ConfigureAwait(false);
        StopBackground();

        if (_tiers.BackgroundWriter is { } backgroundWriter)
        {
            await backgroundWriter.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var store in _tiers.Stores)
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

        _fleet.ReportOwed();
        StopBackground();

        foreach (var store in _tiers.Stores)
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

    /// <summary>The first step of either dispose: stops the metrics, the fleet and every store's settling.</summary>
    private void StopBackground()
    {
        CacheMetrics.Unregister(this);
        _fleet.Dispose();
        foreach (var store in _tiers.Stores)
        {
            store.StopSettling();
        }
    }
}
