using System.Buffers;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;
using CachedMethods.Benchmarks.Serialization;

namespace CachedMethods.Benchmarks.Groups;

/// <summary>
/// Issue 10: serialize plus deserialize of a 10 KiB OCR result with the generated formatters, against MessagePack's
/// contractless resolver with the same settings. <c>Stored</c> is what a tier receives (LZ4 above 1 KiB, the engine's
/// default); <c>Raw</c> is the MessagePack alone, uncompressed, where the formatters are all that differs.
/// </summary>
/// <remarks>The byte counts of each row are in the <c>Bytes</c> column, measured in <see cref="Setup"/>.</remarks>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.Serialization)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializationBenchmarks
{
    private readonly OcrDocument _document = OcrDocument.Sample();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly ICacheSerializer _generatedStored = new MessagePackCacheSerializer();
    private readonly ICacheSerializer _contractlessStored = new ContractlessSerializer();
    private readonly ICacheSerializer _generatedRaw = new MessagePackCacheSerializer(compressionThresholdBytes: int.MaxValue);
    private readonly ICacheSerializer _contractlessRaw = new ContractlessSerializer(compressionThresholdBytes: int.MaxValue);

    [GlobalSetup]
    public void Setup()
    {
        // Each row must read back what it wrote, or it times something else.
        foreach (var (row, serializer) in Rows())
        {
            var bytes = Serialize(serializer).ToArray();
            if (!serializer.Deserialize<OcrDocument>(bytes).SameContentAs(_document))
            {
                throw new InvalidOperationException($"{row} does not round-trip the OCR result.");
            }

            RunMetrics.Write(RunMetrics.CaseId(nameof(SerializationBenchmarks), row), new Dictionary<string, string>
            {
                ["Bytes"] = bytes.Length.ToString("N0", CultureInfo.InvariantCulture),
            });
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Categories.Stored)]
    public OcrDocument Contractless_Stored() => RoundTrip(_contractlessStored);

    [Benchmark]
    [BenchmarkCategory(Categories.Stored)]
    public OcrDocument Generated_Stored() => RoundTrip(_generatedStored);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Categories.Raw)]
    public OcrDocument Contractless_Raw() => RoundTrip(_contractlessRaw);

    [Benchmark]
    [BenchmarkCategory(Categories.Raw)]
    public OcrDocument Generated_Raw() => RoundTrip(_generatedRaw);

    private IEnumerable<(string Row, ICacheSerializer Serializer)> Rows() =>
    [
        (nameof(Contractless_Stored), _contractlessStored),
        (nameof(Generated_Stored), _generatedStored),
        (nameof(Contractless_Raw), _contractlessRaw),
        (nameof(Generated_Raw), _generatedRaw),
    ];

    private OcrDocument RoundTrip(ICacheSerializer serializer) => serializer.Deserialize<OcrDocument>(Serialize(serializer));

    private ReadOnlyMemory<byte> Serialize(ICacheSerializer serializer)
    {
        _buffer.ResetWrittenCount();
        serializer.Serialize(_buffer, _document);
        return _buffer.WrittenMemory;
    }
}
