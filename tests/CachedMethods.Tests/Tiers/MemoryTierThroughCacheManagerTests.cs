using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Tiers;

/// <summary>The memory tier as the engine uses it, with no tier below it.</summary>
public sealed class MemoryTierThroughCacheManagerTests : IDisposable
{
    private readonly FakeTimeProvider _time = TestOptions.NewClock();
    private readonly CacheManager _cache;

    public MemoryTierThroughCacheManagerTests() => _cache = NewCache();

    private CacheManager NewCache(Action<CacheOptions>? configure = null) => new(TestOptions.Create(_time, diskPath: null, configure));

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Only_the_memory_tier_is_on()
    {
        Assert.NotNull(_cache.MemoryStore);
        Assert.Null(_cache.RedisStore);
        Assert.Null(_cache.PersistentStore);
        Assert.Equal(16L * 1024 * 1024, _cache.MemoryStore.CapacityBytes);
    }

    [Fact]
    public async Task A_set_value_is_a_hit_in_every_read_form_and_an_unknown_key_a_miss()
    {
        _cache.Set("k", new OcrPage("hello", 1, 0.98));

        Assert.True(_cache.TryGet("k", out OcrPage? page));
        Assert.Equal(new OcrPage("hello", 1, 0.98), page);
        Assert.Equal(CacheResult<OcrPage>.Hit(new OcrPage("hello", 1, 0.98)), _cache.Get<OcrPage>("k"));
        Assert.True((await _cache.GetAsync<OcrPage>("k")).HasValue);

        Assert.False(_cache.TryGet("unknown", out OcrPage? _));
        Assert.False(_cache.Get<OcrPage>("unknown").HasValue);
        Assert.False((await _cache.GetAsync<OcrPage>("unknown")).HasValue);
    }

    [Fact]
    public async Task Cached_null_and_empty_values_are_hits_distinguishable_from_misses()
    {
        _cache.Set<string?>("null", null);
        _cache.Set("empty-string", "");
        _cache.Set("empty-list", new List<int>());

        Assert.True(_cache.TryGet("null", out string? nullValue));
        Assert.Null(nullValue);
        Assert.Equal(CacheResult<string?>.Hit(null), _cache.Get<string?>("null"));
        Assert.Equal(CacheResult<string?>.Hit(null), await _cache.GetAsync<string?>("null"));

        Assert.True(_cache.TryGet("empty-string", out string? empty));
        Assert.Equal("", empty);
        Assert.True((await _cache.GetAsync<string>("empty-string")).HasValue);

        var list = await _cache.GetAsync<List<int>>("empty-list");
        Assert.True(list.HasValue);
        Assert.Empty(list.Value!);

        Assert.False(_cache.TryGet("never-set", out string? _));
        Assert.Equal(CacheResult<string?>.Miss, _cache.Get<string?>("never-set"));
    }

    [Fact]
    public async Task A_factory_that_returns_null_or_empty_runs_once()
    {
        var calls = 0;
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await _cache.GetOrCreateAsync<string?>("null-result", _ => { calls++; return new ValueTask<string?>((string?)null); }));
            Assert.Empty(await _cache.GetOrCreateAsync("empty-result", _ => { calls++; return new ValueTask<int[]>([]); }));
        }

        Assert.Equal(2, calls);
    }

    [Fact]
    public void An_entry_expires_after_its_ttl()
    {
        _cache.Set("k", "v", TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(_cache.Get<string>("k").HasValue);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_cache.Get<string>("k").HasValue);
        Assert.Equal(0, _cache.MemoryStore!.Count);
    }

    [Fact]
    public void The_default_ttl_applies_when_none_is_given()
    {
        using var cache = NewCache(o => o.DefaultTtlSeconds = 60);
        cache.Set("k", "v");

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(cache.Get<string>("k").HasValue);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.Get<string>("k").HasValue);
    }

    [Fact]
    public void The_least_recently_used_entries_are_evicted_at_the_size_bound()
    {
        using var cache = NewCache(o =>
        {
            o.MemoryCacheSizeMb = 1;
            o.CompressionThresholdBytes = int.MaxValue; // sizes then follow the payloads exactly
        });
        var memory = cache.MemoryStore!;
        var random = new Random(11);
        byte[] Blob()
        {
            var blob = new byte[100_000];
            random.NextBytes(blob);
            return blob;
        }

        for (var i = 0; i < 10; i++)
        {
            cache.Set($"blob-{i:D2}", Blob());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(10, memory.Count);
        Assert.Equal(0, memory.Evictions);

        Assert.True(cache.Get<byte[]>("blob-00").HasValue); // touch the oldest
        _time.Advance(TimeSpan.FromSeconds(1));
        cache.Set("blob-10", Blob()); // 11 × ~100 KB > 1 MB

        Assert.True(memory.SizeBytes <= memory.CapacityBytes, $"{memory.SizeBytes} bytes held over a bound of {memory.CapacityBytes}.");
        Assert.Equal(2, memory.Evictions);
        Assert.Equal(9, memory.Count);
        Assert.True(cache.Get<byte[]>("blob-00").HasValue, "The recently touched entry was evicted.");
        Assert.False(cache.Get<byte[]>("blob-01").HasValue, "The least recently used entry survived.");
        Assert.False(cache.Get<byte[]>("blob-02").HasValue, "The second least recently used entry survived.");
        for (var i = 3; i <= 10; i++)
        {
            Assert.True(cache.Get<byte[]>($"blob-{i:D2}").HasValue, $"blob-{i:D2} was evicted.");
        }
    }

    [Fact]
    public void Sizes_are_counted_from_the_serialized_length()
    {
        using var cache = NewCache(o => o.CompressionThresholdBytes = int.MaxValue);
        var memory = cache.MemoryStore!;

        cache.Set("aa", new byte[1_000]);
        var small = memory.SizeBytes;
        cache.Clear();
        cache.Set("bb", new byte[101_000]);
        var large = memory.SizeBytes;

        Assert.InRange(large - small, 100_000, 100_010);
    }

    [Fact]
    public void A_compressible_value_counts_its_compressed_length()
    {
        _cache.Set("text", new string('a', 100_000));

        Assert.InRange(_cache.MemoryStore!.SizeBytes, 1, 10_000);
    }

    [Fact]
    public void Memory_off_means_no_memory_tier()
    {
        using var cache = NewCache(o => o.MemoryCacheSizeMb = 0);

        Assert.Null(cache.MemoryStore);
        cache.Set("k", "v");
        Assert.False(cache.Get<string>("k").HasValue);
    }
}
