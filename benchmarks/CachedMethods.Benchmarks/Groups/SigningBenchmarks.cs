using BenchmarkDotNet.Attributes;
using CachedMethods.Benchmarks.Infrastructure;

namespace CachedMethods.Benchmarks.Groups;

/// <summary>
/// The cost of signed entries (<see cref="CacheOptions.SigningKey"/>) on a hit below memory: the same value read
/// from disk by an engine whose memory tier is off, with and without a signing key. The signed read verifies an
/// HMAC-SHA256 over the whole frame before deserializing; the unsigned one is the baseline.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.Signing)]
public class SigningBenchmarks
{
    private const string Key = "page:1";

    private string _folder = null!;
    private CacheManager _unsigned = null!;
    private CacheManager _signed = null!;

    /// <summary>The serialized size of the cached value.</summary>
    [Params(1024, 65536)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cachedmethods-benchmarks", $"signing-{Guid.NewGuid():N}");
        _unsigned = Engines.DiskOnly(Path.Combine(_folder, "unsigned"));
        _signed = Engines.DiskOnly(Path.Combine(_folder, "signed"), "benchmark-signing-key-0123456789");
        var value = new byte[PayloadBytes];
        new Random(1).NextBytes(value);
        await _unsigned.SetAsync(Key, value);
        await _signed.SetAsync(Key, value);
        if (Unsigned().Length != PayloadBytes || Signed().Length != PayloadBytes)
        {
            throw new InvalidOperationException("Both engines must read the value back from disk.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _unsigned.DisposeAsync();
        await _signed.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public byte[] Unsigned() => _unsigned.Get<byte[]>(Key).Value!;

    [Benchmark]
    public byte[] Signed() => _signed.Get<byte[]>(Key).Value!;
}
