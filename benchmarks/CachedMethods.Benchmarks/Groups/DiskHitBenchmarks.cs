using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;
using CachedMethods.Benchmarks.Services;

namespace CachedMethods.Benchmarks.Groups;

/// <summary>
/// Group 4: a hit read from disk, through the generated wrapper over an engine whose memory tier is
/// off, against a raw read of a file holding the same MessagePack payload plus deserialize (the
/// engine's serializer settings). Synchronous and asynchronous reads each have their own baseline.
/// </summary>
/// <remarks>
/// Both sides read warm files from the page cache of the same temp folder, which the group deletes at
/// the end. The engine's file is its envelope (header, key digest, checksum) around the same payload.
/// </remarks>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.DiskHit)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DiskHitBenchmarks
{
    private const int DocumentId = 1;

    private string _folder = null!;
    private string _rawFile = null!;
    private CacheManager _engine = null!;
    private DocumentService _service = null!;
    private IDocumentService _generated = null!;
    private MessagePackCacheSerializer _serializer = null!;

    /// <summary>The document's serialized size, before compression.</summary>
    [Params(128, 1024, 10240)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cachedmethods-benchmarks", $"disk-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        _engine = Engines.DiskOnly(Path.Combine(_folder, "engine"));
        if (_engine.PersistentStore is null || _engine.MemoryStore is not null || _engine.RedisStore is not null)
        {
            throw new InvalidOperationException("The engine must have the disk as its only tier.");
        }

        _service = new DocumentService();
        _generated = new CachedDocumentService(_service, _engine);

        _serializer = new MessagePackCacheSerializer(new CacheOptions().CompressionThresholdBytes);
        _rawFile = Path.Combine(_folder, "raw", $"{PayloadBytes}.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(_rawFile)!);
        var buffer = new ArrayBufferWriter<byte>();
        _serializer.Serialize(buffer, DocumentService.Create(DocumentId, PayloadBytes));
        await File.WriteAllBytesAsync(_rawFile, buffer.WrittenMemory.ToArray());

        await Warm.HitAsync(nameof(Generated_Sync), () => _service.Calls, () => ValueTask.FromResult(Generated_Sync()));
        await Warm.HitAsync(nameof(Generated_ValueTask), () => _service.Calls, Generated_ValueTask);
        if (Raw_ReadAllBytes() != DocumentService.Create(DocumentId, PayloadBytes))
        {
            throw new InvalidOperationException("The raw baseline did not read back the document it stored.");
        }

        if (_engine.GetStats().Tiers.FirstOrDefault(t => t.Name == "disk")?.Hits is not > 0)
        {
            throw new InvalidOperationException("The engine's warmed hits did not come from disk.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark, BenchmarkCategory(Categories.Sync)]
    public Document Generated_Sync() => _generated.GetDocument(DocumentId, PayloadBytes);

    [Benchmark(Baseline = true), BenchmarkCategory(Categories.Sync)]
    public Document Raw_ReadAllBytes() => _serializer.Deserialize<Document>(File.ReadAllBytes(_rawFile));

    [Benchmark, BenchmarkCategory(Categories.Async)]
    public ValueTask<Document> Generated_ValueTask() => _generated.ReadDocumentAsync(DocumentId, PayloadBytes);

    [Benchmark(Baseline = true), BenchmarkCategory(Categories.Async)]
    public async Task<Document> Raw_ReadAllBytesAsync() => _serializer.Deserialize<Document>(await File.ReadAllBytesAsync(_rawFile));
}
