using System.Buffers;
using System.Buffers.Binary;
using CachedMethods.Internal;
using CachedMethods.TestSupport;

namespace CachedMethods.FaultTests;

/// <summary>
/// Bytes planted in a tier by someone who can write to it: a frame whose LZ4 header lies about its size
/// costs a reader a bounded, measured allocation and is a miss, never 60 MB per reader.
/// </summary>
public sealed class HostilePayloadTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>What one hostile read may allocate in all: the frame, the key, the envelope checks. Measured 10–20 KB.</summary>
    private const long AllocationBound = 256 * 1024;
    private const int Claimed = 60_000_000;

    private readonly string _disk = TestEnvironment.NewTempFolder("hostile");

    public void Dispose() => TestEnvironment.DeleteFolder(_disk);

    public static TheoryData<string> Layouts => ["block", "block-array"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_payload_of_13_to_16_bytes_claiming_60_MB_is_refused_before_allocating(string layout)
    {
        var payload = Hostile(layout);
        output.WriteLine($"{layout}: {payload.Length} bytes claiming {Claimed}");
        var serializer = new MessagePackCacheSerializer();
        Assert.Throws<InvalidDataException>(() => serializer.Deserialize<string>(payload)); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => serializer.Deserialize<string>(payload));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"allocated {allocated} bytes");
        Assert.InRange(allocated, 0, AllocationBound);
    }

    [Fact]
    public async Task Thirty_two_concurrent_readers_of_a_planted_frame_allocate_a_bounded_amount_each_and_miss()
    {
        var options = new CacheOptions { DiskCachePath = _disk, MemoryCacheSizeMb = 0 };
        await using var cache = new CacheManager(options);
        var key = CacheKey.FromString("planted");
        var now = DateTimeOffset.UtcNow;
        var frame = Envelope.Create(key.Digest, Hostile("block"), now, now.AddHours(1), now.AddHours(1), tags: null, ValueTypeName<string>.Utf8);

        var allocations = new long[32];
        var misses = 0;
        for (var round = 0; round < 2; round++)
        {
            // The first round warms up the code paths; the second is measured.
            await cache.PersistentStore!.SetAsync(key.StorageId, frame, TimeSpan.FromHours(1), CancellationToken.None);
            using var start = new Barrier(allocations.Length);
            var threads = Enumerable.Range(0, allocations.Length).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                var before = GC.GetAllocatedBytesForCurrentThread();
                var result = cache.Get<string>("planted");
                allocations[i] = GC.GetAllocatedBytesForCurrentThread() - before;
                if (!result.HasValue)
                {
                    Interlocked.Increment(ref misses);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
        }

        output.WriteLine($"per reader: max {allocations.Max()} bytes, total {allocations.Sum()} bytes for 32 readers");
        Assert.Equal(64, misses);
        Assert.All(allocations, a => Assert.InRange(a, 0, AllocationBound));
        Assert.Null(await cache.PersistentStore!.GetAsync(key.StorageId, CancellationToken.None));
    }

    [Fact]
    public void Honest_compressed_payloads_still_read_back_even_at_lz4s_best_ratio()
    {
        var serializer = new MessagePackCacheSerializer();
        var random = new Random(14);
        string[] values =
        [
            new('a', 4 * 1024 * 1024),
            string.Concat(Enumerable.Range(0, 200_000).Select(i => $"line {i % 97}\n")),
            string.Create(300_000, random, static (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = (char)r.Next(32, 127); }),
        ];

        foreach (var value in values)
        {
            var buffer = new ArrayBufferWriter<byte>();
            serializer.Serialize(buffer, value);
            Assert.Equal(value, serializer.Deserialize<string>(buffer.WrittenMemory));
        }
    }

    [Fact]
    public void A_payload_over_the_configured_limit_is_refused()
    {
        var serializer = new MessagePackCacheSerializer(maxDecompressedBytes: 1024 * 1024);
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(buffer, new string('b', 2 * 1024 * 1024));

        var error = Assert.Throws<InvalidDataException>(() => serializer.Deserialize<string>(buffer.WrittenMemory));
        Assert.Contains("over the limit", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A payload in one of the two layouts MessagePack's LZ4 reader accepts, declaring <see cref="Claimed"/>
    /// uncompressed bytes for a handful of compressed ones.
    /// </summary>
    private static byte[] Hostile(string layout)
    {
        var length = new byte[5];
        length[0] = 0xd2; // int32
        BinaryPrimitives.WriteInt32BigEndian(length.AsSpan(1), Claimed);
        byte[] junk = [0x1f, 0x61, 0x01, 0x00, 0x00];
        return layout == "block"
            // ext8, length, type 99 | int32 declared length | compressed bytes
            ? [0xc7, (byte)(length.Length + junk.Length), 99, .. length, .. junk]
            // array of 2 | ext8 (type 98) holding the one block's declared length | bin8 block
            : [0x92, 0xc7, (byte)length.Length, 98, .. length, 0xc4, (byte)junk.Length, .. junk];
    }
}
