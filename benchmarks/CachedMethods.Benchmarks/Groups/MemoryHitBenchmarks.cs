using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;
using CachedMethods.Benchmarks.Services;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace CachedMethods.Benchmarks.Groups;

/// <summary>
/// Group 1: a hit in memory. Every row returns the same warmed <see cref="Item"/> for key (method, 42);
/// the baseline is a raw <see cref="ConcurrentDictionary{TKey, TValue}"/> keyed by the same two parts.
/// </summary>
/// <remarks>
/// The caches keyed by strings (IMemoryCache, FusionCache, HybridCache) build their key on every call,
/// as a caller must. Each row's hit is checked in <see cref="SetupAsync"/>: a row whose second call
/// reaches the service fails the run instead of timing a miss.
/// </remarks>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.MemoryHit)]
public class MemoryHitBenchmarks
{
    private const string Scope = "CachedMethods.Benchmarks.Services.IItemService.GetItem";
    private const string MutableScope = "CachedMethods.Benchmarks.Services.IItemService.GetMutable";

    // A field, not a constant, so that the JIT cannot fold the key away.
    private int _id = BenchmarkSettings.HitId;

    private ItemService _service = null!;
    private IItemService _generated = null!;
    private IItemService _handWritten = null!;
    private IItemService _castle = null!;
    private CacheManager _engine = null!;
    private ConcurrentDictionary<(string Method, int Id), Item> _dictionary = null!;
    private ConcurrentDictionary<(string Method, int Id), Item> _plain = null!;
    private CacheManager _missEngine = null!;
    private IItemService _missGenerated = null!;
    private int _missId;
    private MemoryCache _memoryCache = null!;
    private FusionCache _fusionCache = null!;
    private HybridCache _hybridCache = null!;
    private ServiceProvider _hybridProvider = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _id = BenchmarkSettings.HitId;
        _service = new ItemService();
        _engine = Engines.MemoryOnly();
        _generated = new CachedItemService(_service, _engine);
        _handWritten = new HandWrittenItemService(_service, _engine);
        _castle = CastleCachingInterceptor.Wrap<IItemService>(_service, _engine);
        _dictionary = new ConcurrentDictionary<(string, int), Item>();
        _plain = new ConcurrentDictionary<(string, int), Item>();
        _missEngine = Engines.MemoryOnly();
        _missGenerated = new CachedItemService(_service, _missEngine);
        _memoryCache = OtherCaches.MemoryCache();
        _fusionCache = OtherCaches.FusionCache();
        (_hybridCache, _hybridProvider) = OtherCaches.HybridCache();

        await Warm.HitAsync(nameof(Generated_Sync), () => _service.Calls, () => ValueTask.FromResult(Generated_Sync()));
        await Warm.HitAsync(nameof(Generated_Task), () => _service.Calls, () => new ValueTask<Item>(Generated_Task()));
        await Warm.HitAsync(nameof(Generated_ValueTask), () => _service.Calls, Generated_ValueTask);
        await Warm.HitAsync(nameof(HandWritten_Sync), () => _service.Calls, () => ValueTask.FromResult(HandWritten_Sync()));
        await Warm.HitAsync(nameof(HandWritten_Task), () => _service.Calls, () => new ValueTask<Item>(HandWritten_Task()));
        await Warm.HitAsync(nameof(HandWritten_ValueTask), () => _service.Calls, HandWritten_ValueTask);
        await Warm.HitAsync(nameof(ConcurrentDictionary_Plain), () => _service.Calls, () => ValueTask.FromResult(ConcurrentDictionary_Plain()));
        await Warm.HitAsync(nameof(ConcurrentDictionary_SameKey), () => _service.Calls, () => ValueTask.FromResult(ConcurrentDictionary_SameKey()));
        await Warm.HitAsync(nameof(MemoryCache_TryGetValue), () => _service.Calls, () => ValueTask.FromResult(MemoryCache_TryGetValue()));
        await Warm.HitAsync(nameof(FusionCache_GetOrSet), () => _service.Calls, () => ValueTask.FromResult(FusionCache_GetOrSet()));
        await Warm.HitAsync(nameof(HybridCache_Mutable), () => _service.Calls, async () => { var m = await HybridCache_Mutable(); return new Item(m.Id, m.Name); });
        await Warm.HitAsync(nameof(HybridCache_Immutable), () => _service.Calls, HybridCache_Immutable);
        await Warm.HitAsync(nameof(Castle_Sync), () => _service.Calls, () => ValueTask.FromResult(Castle_Sync()));
        await Warm.HitAsync(nameof(Castle_ValueTask), () => _service.Calls, Castle_ValueTask);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _engine.DisposeAsync();
        await _missEngine.DisposeAsync();
        _memoryCache.Dispose();
        _fusionCache.Dispose();
        await _hybridProvider.DisposeAsync();
    }

    /// <summary>The trivial method itself: the floor every wrapper's overhead is measured from.</summary>
    [Benchmark]
    public Item Direct_Uncached() => _service.GetItem(_id);

    [Benchmark]
    public Item Generated_Sync() => _generated.GetItem(_id);

    [Benchmark]
    public Task<Item> Generated_Task() => _generated.GetItemTaskAsync(_id);

    [Benchmark]
    public ValueTask<Item> Generated_ValueTask() => _generated.GetItemValueTaskAsync(_id);

    [Benchmark]
    public Item HandWritten_Sync() => _handWritten.GetItem(_id);

    [Benchmark]
    public Task<Item> HandWritten_Task() => _handWritten.GetItemTaskAsync(_id);

    [Benchmark]
    public ValueTask<Item> HandWritten_ValueTask() => _handWritten.GetItemValueTaskAsync(_id);

    /// <summary>
    /// The plainest cache there is, and the group's baseline: one <c>TryGetValue</c> by (constant method
    /// name, argument), no key encoding, no TTL, no bound, no counter.
    /// </summary>
    [Benchmark(Baseline = true)]
    public Item ConcurrentDictionary_Plain() =>
        _plain.TryGetValue((nameof(IItemService.GetItem), _id), out var item) ? item : _plain.GetOrAdd((nameof(IItemService.GetItem), _id), _service.GetItem(_id));

    /// <summary>A raw dictionary keyed by the full scope string and the argument, through <c>GetOrAdd</c> with a static factory.</summary>
    [Benchmark]
    public Item ConcurrentDictionary_SameKey() =>
        _dictionary.GetOrAdd((Scope, _id), static (key, service) => service.GetItem(key.Id), _service);

    [Benchmark]
    public Item MemoryCache_TryGetValue()
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{Scope}:{_id}");
        if (_memoryCache.TryGetValue(key, out Item? item))
        {
            return item!;
        }

        item = _service.GetItem(_id);
        _memoryCache.Set(key, item, OtherCaches.MemoryEntry);
        return item;
    }

    /// <summary>As a caller writes it: FusionCache has no state overload, so the factory is a closure.</summary>
    [Benchmark]
    public Item FusionCache_GetOrSet()
    {
        var id = _id;
        return _fusionCache.GetOrSet<Item>(string.Create(CultureInfo.InvariantCulture, $"{Scope}:{id}"), (_, _) => _service.GetItem(id));
    }

    /// <summary>A mutable result: HybridCache deserializes a fresh copy on every hit.</summary>
    [Benchmark]
    public ValueTask<MutableItem> HybridCache_Mutable() =>
        _hybridCache.GetOrCreateAsync(
            string.Create(CultureInfo.InvariantCulture, $"{MutableScope}:{_id}"),
            (Service: _service, Id: _id),
            static (state, _) =>
            {
                var item = state.Service.GetItem(state.Id);
                return ValueTask.FromResult(new MutableItem { Id = item.Id, Name = item.Name });
            });

    /// <summary>A sealed <c>[ImmutableObject(true)]</c> result: HybridCache returns the cached instance.</summary>
    [Benchmark]
    public ValueTask<Item> HybridCache_Immutable() =>
        _hybridCache.GetOrCreateAsync(
            string.Create(CultureInfo.InvariantCulture, $"{Scope}:{_id}"),
            (Service: _service, Id: _id),
            static (state, cancellationToken) => state.Service.GetItemValueTaskAsync(state.Id, cancellationToken));

    /// <summary>
    /// A memory-only miss that computes: a new id every call (the factory returns a preallocated item), so
    /// the row's allocation is what a miss costs: key copy, flight, serialized size, entry. Every 4,096 calls
    /// the memory tier is cleared, so the ids can repeat without hitting (its cost is spread over them).
    /// </summary>
    [Benchmark]
    public Item Generated_Miss_MemoryOnly()
    {
        var id = ++_missId & 4095;
        if (id == 0)
        {
            _missEngine.Clear(CacheTiers.Memory);
        }

        return _missGenerated.GetItem(id);
    }

    [Benchmark]
    public Item Castle_Sync() => _castle.GetItem(_id);

    [Benchmark]
    public ValueTask<Item> Castle_ValueTask() => _castle.GetItemValueTaskAsync(_id);
}
