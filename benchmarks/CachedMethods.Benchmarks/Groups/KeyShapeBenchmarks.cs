using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;
using CachedMethods.Benchmarks.Services;

namespace CachedMethods.Benchmarks.Groups;

/// <summary>
/// Group 2: a memory hit through the generated wrapper for five key shapes, each beside a raw
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> keyed by the same parts (its baseline).
/// </summary>
/// <remarks>
/// Strings and the record are looked up with instances equal to, but not the same objects as, the ones
/// the entries were stored with, as when the arguments come from a request: no row may win on a
/// reference-equality shortcut the others do not get.
/// </remarks>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.KeyShapes)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class KeyShapeBenchmarks
{
    // The raw dictionaries key by (method, arguments...), as the engine does: one constant per method.
    private const string Scope = "CachedMethods.Benchmarks.Services.IKeyShapeService.";
    private const string IntScope = Scope + nameof(IKeyShapeService.ByInt);
    private const string ShortScope = Scope + nameof(IKeyShapeService.ByShortString);
    private const string LongScope = Scope + nameof(IKeyShapeService.ByLongString);
    private const string CompositeScope = Scope + nameof(IKeyShapeService.ByComposite);
    private const string RecordScope = Scope + nameof(IKeyShapeService.ByRecord);
    private static readonly Guid Tenant = new("6f9619ff-8b86-d011-b42d-00c04fc964ff");

    private int _id;
    private string _shortText = null!;
    private string _longText = null!;
    private ItemQuery _query = null!;

    private KeyShapeService _service = null!;
    private IKeyShapeService _generated = null!;
    private CacheManager _engine = null!;
    private ConcurrentDictionary<(string, int), Item> _byInt = null!;
    private ConcurrentDictionary<(string, string), Item> _byString = null!;
    private ConcurrentDictionary<(string, int, string, Guid), Item> _byComposite = null!;
    private ConcurrentDictionary<(string, ItemQuery), Item> _byRecord = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _service = new KeyShapeService();
        _engine = Engines.MemoryOnly();
        _generated = new CachedKeyShapeService(_service, _engine);
        _byInt = new();
        _byString = new();
        _byComposite = new();
        _byRecord = new();

        // Warm with one set of instances...
        SetArguments();
        foreach (var row in Rows())
        {
            row.Call();
        }

        // ...and measure with equal copies.
        SetArguments();
        if (_longText.Length != 50)
        {
            throw new InvalidOperationException("The long string must be 50 characters.");
        }

        foreach (var row in Rows())
        {
            await Warm.HitAsync(row.Name, () => _service.Calls, () => ValueTask.FromResult(row.Call()));
        }
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _engine.DisposeAsync();

    [Benchmark, BenchmarkCategory("Int")]
    public Item Int_Generated() => _generated.ByInt(_id);

    [Benchmark(Baseline = true), BenchmarkCategory("Int")]
    public Item Int_ConcurrentDictionary() =>
        _byInt.GetOrAdd((IntScope, _id), static (_, s) => s.ByInt(0), _service);

    [Benchmark, BenchmarkCategory("ShortString")]
    public Item ShortString_Generated() => _generated.ByShortString(_shortText);

    [Benchmark(Baseline = true), BenchmarkCategory("ShortString")]
    public Item ShortString_ConcurrentDictionary() =>
        _byString.GetOrAdd((ShortScope, _shortText), static (_, s) => s.ByShortString(""), _service);

    [Benchmark, BenchmarkCategory("String50")]
    public Item String50_Generated() => _generated.ByLongString(_longText);

    [Benchmark(Baseline = true), BenchmarkCategory("String50")]
    public Item String50_ConcurrentDictionary() =>
        _byString.GetOrAdd((LongScope, _longText), static (_, s) => s.ByLongString(""), _service);

    [Benchmark, BenchmarkCategory("IntStringGuid")]
    public Item IntStringGuid_Generated() => _generated.ByComposite(_id, _shortText, Tenant);

    [Benchmark(Baseline = true), BenchmarkCategory("IntStringGuid")]
    public Item IntStringGuid_ConcurrentDictionary() =>
        _byComposite.GetOrAdd((CompositeScope, _id, _shortText, Tenant), static (_, s) => s.ByComposite(0, "", Guid.Empty), _service);

    [Benchmark, BenchmarkCategory("Record")]
    public Item Record_Generated() => _generated.ByRecord(_query);

    [Benchmark(Baseline = true), BenchmarkCategory("Record")]
    public Item Record_ConcurrentDictionary() =>
        _byRecord.GetOrAdd((RecordScope, _query), static (_, s) => s.ByRecord(null!), _service);

    private void SetArguments()
    {
        _id = BenchmarkSettings.HitId;
        _shortText = new string("invoice7".AsSpan());
        _longText = new string("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0".AsSpan());
        _query = new ItemQuery(_id, new string(_shortText.AsSpan()), Tenant);
    }

    private IEnumerable<(string Name, Func<Item> Call)> Rows() =>
    [
        (nameof(Int_Generated), Int_Generated),
        (nameof(Int_ConcurrentDictionary), Int_ConcurrentDictionary),
        (nameof(ShortString_Generated), ShortString_Generated),
        (nameof(ShortString_ConcurrentDictionary), ShortString_ConcurrentDictionary),
        (nameof(String50_Generated), String50_Generated),
        (nameof(String50_ConcurrentDictionary), String50_ConcurrentDictionary),
        (nameof(IntStringGuid_Generated), IntStringGuid_Generated),
        (nameof(IntStringGuid_ConcurrentDictionary), IntStringGuid_ConcurrentDictionary),
        (nameof(Record_Generated), Record_Generated),
        (nameof(Record_ConcurrentDictionary), Record_ConcurrentDictionary),
    ];
}
