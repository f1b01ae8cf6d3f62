using CachedMethods.Internal;
using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CachedMethods.Tests.Engine;

/// <summary>
/// A 16 KB key with 4,000 separators once became a 31 MB entry whose write allocated 215 MB, counted as 135 bytes
/// in memory (issue 14, item 4). Now it gets at most 16 prefix tags, and the memory tier counts key and tags.
/// </summary>
public sealed class HugeKeyTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>What one write or read of the huge key may allocate: the key's copies (~50 KB) and the I/O. Generous.</summary>
    private const long AllocationBound = 2 * 1024 * 1024;

    private readonly TempFolder _folder = new("hugekey");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();

    public void Dispose() => _folder.Dispose();

    private static string HugeKey(string last) => string.Concat(Enumerable.Repeat("abc:", 4_000)) + last;

    [Fact]
    public void A_16_KB_key_with_4000_separators_makes_a_small_entry_a_bounded_allocation_and_is_counted_whole_in_memory()
    {
        using (var cache = new CacheManager(TestOptions.Create(_time, _folder.Path)))
        {
            cache.Set(HugeKey("warm-up"), "value"); // first use of every code path
            var key = HugeKey("page");
            var before = GC.GetAllocatedBytesForCurrentThread();
            cache.Set(key, "value");
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            var entryFile = new FileInfo(Directory.EnumerateFiles(_folder.Path, "*.cme", SearchOption.AllDirectories)
                .Single(f => f.Contains(CacheKey.FromString(key).StorageId, StringComparison.Ordinal)));
            var memoryBytes = cache.GetStats()["memory"]!.SizeBytes;
            output.WriteLine($"key {key.Length} chars; write allocated {allocated:N0} B; entry file {entryFile.Length} B; memory counts {memoryBytes:N0} B for 2 entries");

            Assert.InRange(allocated, 0, AllocationBound);
            // Header, 16 tag digests of 16 bytes, the type name, the payload: no key text and no 4,000 tags.
            Assert.InRange(entryFile.Length, 1, Envelope.HeaderSize + (PrefixTags.MaxPerKey * TagDigest.Size) + 256);
            // Each entry counts its key (a long one is kept as its hash), its value and its 16 tags, not the value alone.
            var expected = MemoryCacheStore.EntrySize(CacheKey.FromString(key), 0, PrefixTags.AddTo(key, CacheEntryOptions.Default).Tags);
            Assert.True(expected > PrefixTags.MaxPerKey * 64);
            Assert.True(memoryBytes >= 2 * expected, $"memory counts {memoryBytes} B, each entry at least {expected} B");
        }

        // A fresh process reads it from disk, also within the bound.
        using var fresh = new CacheManager(TestOptions.Create(_time, _folder.Path));
        Assert.Equal("value", fresh.Get<string>(HugeKey("warm-up")).Value);
        var readBefore = GC.GetAllocatedBytesForCurrentThread();
        var read = fresh.Get<string>(HugeKey("page"));
        var readAllocated = GC.GetAllocatedBytesForCurrentThread() - readBefore;
        output.WriteLine($"fresh read from disk allocated {readAllocated:N0} B");
        Assert.Equal("value", read.Value);
        Assert.InRange(readAllocated, 0, AllocationBound);
    }

    [Fact]
    public async Task The_16th_prefix_still_invalidates_and_a_deeper_prefix_is_refused()
    {
        using var cache = new CacheManager(TestOptions.Create(_time, _folder.Path));
        var key = HugeKey("page");
        cache.Set(key, "value");
        var sixteenth = string.Concat(Enumerable.Repeat("abc:", PrefixTags.MaxPerKey));

        await Assert.ThrowsAsync<ArgumentException>(() => cache.InvalidatePrefixAsync(sixteenth + "abc:").AsTask());
        Assert.True(cache.Get<string>(key).HasValue);

        await cache.InvalidatePrefixAsync(sixteenth);
        Assert.False(cache.Get<string>(key).HasValue);
    }

    [Fact]
    public void Only_the_first_16_prefixes_are_tagged()
    {
        var options = PrefixTags.AddTo(HugeKey("page"), new CacheEntryOptions { Tags = ["own"] });

        Assert.Equal(1 + PrefixTags.MaxPerKey, options.Tags!.Count);
        Assert.Equal(TagDigest.Of("own"), options.Tags[0]);
        Assert.Equal(PrefixTags.TagOf("abc:"), options.Tags[1]);
        Assert.Equal(PrefixTags.TagOf(string.Concat(Enumerable.Repeat("abc:", PrefixTags.MaxPerKey))), options.Tags[^1]);
    }
}
