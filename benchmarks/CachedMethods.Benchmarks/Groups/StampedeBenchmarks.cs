using System.Collections.Concurrent;
using System.Diagnostics;
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
/// Group 5: 1,000 callers ask for the same cold key at once; computing it takes 50 ms. Each invocation
/// (one stampede) uses a new key. The time of a row is one whole stampede; what matters is in the extra columns: how
/// many times the factory ran per stampede, and the median and 99th-percentile wait of a caller.
/// </summary>
/// <remarks>
/// <para>
/// The callers are released together by one gate whose continuations run on the thread pool, so they
/// reach the cache as concurrently as the machine allows. A caller's wait runs from its call to its
/// result. Waits are taken from the last <see cref="KeptStampedes"/> stampedes of the process (the
/// measured iterations, after warm-up).
/// </para>
/// <para>
/// The baseline is the classic single-flight idiom, a <see cref="ConcurrentDictionary{TKey, TValue}"/>
/// of <see cref="Lazy{T}"/> tasks. <see cref="IMemoryCache"/> has no stampede protection; it is here to
/// show what the others prevent. Nothing is asserted: the numbers are reported.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.Stampede)]
[WarmupCount(2)]
[IterationCount(10)]
[InvocationCount(2, 1)]
public class StampedeBenchmarks
{
    public const int Callers = 1000;
    // Two stampedes per iteration (an iteration of one, about 55 ms, is under BenchmarkDotNet's 100 ms
    // floor), ten measured iterations: the waits of the measured stampedes only.
    private const int KeptStampedes = 20;

    private readonly Dictionary<string, StampedeStats> _stats = [];
    private int _nextKey;
    private StampedeService _service = null!;
    private CacheManager _engine = null!;
    private IStampedeService _generated = null!;
    private ConcurrentDictionary<int, Lazy<Task<Item>>> _lazy = null!;
    private FusionCache _fusionCache = null!;
    private HybridCache _hybridCache = null!;
    private ServiceProvider _hybridProvider = null!;
    private MemoryCache _memoryCache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _service = new StampedeService();
        _engine = Engines.MemoryOnly();
        _generated = new CachedStampedeService(_service, _engine);
        _lazy = new();
        _fusionCache = OtherCaches.FusionCache();
        (_hybridCache, _hybridProvider) = OtherCaches.HybridCache();
        _memoryCache = OtherCaches.MemoryCache();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var (method, stats) in _stats)
        {
            RunMetrics.Write(RunMetrics.CaseId(nameof(StampedeBenchmarks), method), stats.Metrics());
        }

        await _engine.DisposeAsync();
        _fusionCache.Dispose();
        await _hybridProvider.DisposeAsync();
        _memoryCache.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task LazyTaskDictionary() => StampedeAsync(nameof(LazyTaskDictionary), id =>
        new ValueTask<Item>(_lazy.GetOrAdd(id, static (key, service) => new Lazy<Task<Item>>(() => service.ComputeAsync(key).AsTask()), _service).Value));

    [Benchmark]
    public Task Generated_ValueTask() => StampedeAsync(nameof(Generated_ValueTask), id => _generated.ComputeAsync(id));

    [Benchmark]
    public Task FusionCache_GetOrSetAsync() => StampedeAsync(nameof(FusionCache_GetOrSetAsync), id =>
        _fusionCache.GetOrSetAsync<Item>(Key(id), async (_, ct) => await _service.ComputeAsync(id, ct)));

    [Benchmark]
    public Task HybridCache_GetOrCreateAsync() => StampedeAsync(nameof(HybridCache_GetOrCreateAsync), id =>
        _hybridCache.GetOrCreateAsync(Key(id), (Service: _service, Id: id), static (s, ct) => s.Service.ComputeAsync(s.Id, ct)));

    [Benchmark]
    public Task MemoryCache_GetOrCreateAsync() => StampedeAsync(nameof(MemoryCache_GetOrCreateAsync), async id =>
        (await _memoryCache.GetOrCreateAsync(Key(id), async entry =>
        {
            entry.SetOptions(OtherCaches.MemoryEntry);
            return await _service.ComputeAsync(id);
        }))!);

    private static string Key(int id) => string.Create(CultureInfo.InvariantCulture, $"stampede:{id}");

    private async Task StampedeAsync(string method, Func<int, ValueTask<Item>> call)
    {
        var id = Interlocked.Increment(ref _nextKey);
        var factoryCallsBefore = _service.Calls;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waits = new long[Callers];
        var callers = new Task[Callers];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = CallAsync(i);
        }

        gate.SetResult();
        await Task.WhenAll(callers);

        if (!_stats.TryGetValue(method, out var stats))
        {
            _stats[method] = stats = new StampedeStats();
        }

        stats.Add(_service.Calls - factoryCallsBefore, waits);

        async Task CallAsync(int caller)
        {
            await gate.Task;
            var start = Stopwatch.GetTimestamp();
            await call(id);
            waits[caller] = Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>Factory calls of every stampede, and the waits of the last few.</summary>
    private sealed class StampedeStats
    {
        private readonly List<int> _factoryCalls = [];
        private readonly Queue<long[]> _waits = new();

        public void Add(int factoryCalls, long[] waits)
        {
            _factoryCalls.Add(factoryCalls);
            _waits.Enqueue(waits);
            if (_waits.Count > KeptStampedes)
            {
                _waits.Dequeue();
            }
        }

        public Dictionary<string, string> Metrics()
        {
            var all = _waits.SelectMany(static w => w).Order().ToArray();
            string Percentile(double p) =>
                Stopwatch.GetElapsedTime(0, all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)]).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
            var min = _factoryCalls.Min();
            var max = _factoryCalls.Max();
            return new Dictionary<string, string>
            {
                ["FactoryCalls"] = min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min}-{max}",
                ["WaitP50"] = Percentile(0.50),
                ["WaitP99"] = Percentile(0.99),
                ["Stampedes"] = _factoryCalls.Count.ToString(CultureInfo.InvariantCulture),
            };
        }
    }
}
