using System.Buffers;
using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Engine;

/// <summary>Set, get, delete, clear, statistics and degradation over memory and disk.</summary>
public sealed class CacheManagerTests : IDisposable
{
    private readonly TempFolder _folder = new("engine");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();

    public void Dispose() => _folder.Dispose();

    private CacheManager NewCache(Action<CacheOptions>? configure = null) => new(TestOptions.Create(_time, _folder.Path, configure));

    [Fact]
    public void A_set_writes_through_to_memory_and_disk()
    {
        using var cache = NewCache();

        cache.Set("k", new OcrPage("text", 1, 0.5));

        Assert.Equal(1, cache.MemoryStore!.Count);
        Assert.Equal(1, cache.PersistentStore!.GetUsage().Entries);
    }

    [Fact]
    public async Task Async_set_and_get_round_trip_a_record_through_disk()
    {
        using var cache = NewCache(o => o.MemoryCacheSizeMb = 0);
        var page = new OcrPage(new string('w', 5_000), 12, 0.25); // over the compression threshold

        await cache.SetAsync("k", page);

        Assert.Equal(CacheResult<OcrPage>.Hit(page), await cache.GetAsync<OcrPage>("k"));
        Assert.Equal(page, cache.Get<OcrPage>("k").Value);
    }

    [Fact]
    public async Task Delete_removes_a_key_from_every_tier_and_reports_whether_it_was_there()
    {
        using var cache = NewCache();
        cache.Set("a", 1);
        cache.Set("b", 2);

        Assert.True(cache.Delete("a"));
        Assert.False(cache.Delete("a"));
        Assert.True(await cache.DeleteAsync("b"));
        Assert.False(await cache.DeleteAsync("b"));

        Assert.False(cache.Get<int>("a").HasValue);
        Assert.False((await cache.GetAsync<int>("b")).HasValue);
        Assert.Equal(0, cache.MemoryStore!.Count);
        Assert.Equal(0, cache.PersistentStore!.GetUsage().Entries);
    }

    [Fact]
    public void Delete_of_a_key_only_on_disk_reports_true()
    {
        using var cache = NewCache();
        cache.Set("k", 1);
        cache.Clear(CacheTiers.Memory);

        Assert.True(cache.Delete("k"));
        Assert.False(cache.Get<int>("k").HasValue);
    }

    [Fact]
    public void Clear_counts_what_it_removed_per_tier()
    {
        using var cache = NewCache();
        for (var i = 0; i < 3; i++)
        {
            cache.Set($"k{i}", i);
        }

        Assert.Equal(3, cache.Clear(CacheTiers.Memory));
        Assert.Equal(0, cache.MemoryStore!.Count);
        Assert.Equal(3, cache.PersistentStore!.GetUsage().Entries);

        Assert.Equal(3, cache.Clear(CacheTiers.Persistent));
        Assert.Equal(0, cache.Clear());
        Assert.False(cache.Get<int>("k0").HasValue);
    }

    [Fact]
    public async Task Clear_of_every_tier_counts_the_entries_of_every_tier()
    {
        using var cache = NewCache();
        for (var i = 0; i < 3; i++)
        {
            cache.Set($"k{i}", i);
        }

        Assert.Equal(6, await cache.ClearAsync());
        Assert.Equal(0, await cache.ClearAsync(CacheTiers.All));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.cme", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_new_set_replaces_the_value_in_every_tier()
    {
        using var cache = NewCache();
        cache.Set("k", "first");
        cache.Set("k", "second");

        Assert.Equal("second", cache.Get<string>("k").Value);
        cache.Clear(CacheTiers.Memory);
        Assert.Equal("second", cache.Get<string>("k").Value);
        Assert.Equal(1, cache.PersistentStore!.GetUsage().Entries);
    }

    [Fact]
    public void A_ttl_that_is_not_positive_is_rejected()
    {
        using var cache = NewCache();

        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Set("k", "v", TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Set("k", "v", TimeSpan.FromSeconds(-1)));
        Assert.False(cache.Get<string>("k").HasValue);
    }

    [Fact]
    public void A_default_ttl_that_is_not_positive_is_a_configuration_error()
    {
        var error = Assert.Throws<CacheConfigurationException>(() => NewCache(o => o.DefaultTtlSeconds = 0));
        Assert.Contains("DefaultTtlSeconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_serializer_really_cannot_handle_a_delegate_member()
    {
        // Guards the tests below: they rely on this type failing to serialize.
        Assert.ThrowsAny<Exception>(() => MessagePackCacheSerializer.Default.Serialize(new ArrayBufferWriter<byte>(), new WithCallback()));
    }

#pragma warning disable CM0041 // These tests give the engine values without a formatter on purpose.
    [Fact]
    public async Task Setting_an_unserializable_value_throws_and_stores_nothing()
    {
        using var cache = NewCache();

        var error = Assert.Throws<CacheSerializationException>(() => cache.Set("k", new WithCallback { Id = 1 }));
        Assert.Contains(typeof(WithCallback).FullName!, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CacheSerializationException>(async () => await cache.SetAsync("k", new WithCallback { Id = 2 }));

        Assert.False(cache.Get<WithCallback>("k").HasValue);
        Assert.Equal(0, cache.MemoryStore!.Count);
        Assert.Equal(0, cache.PersistentStore!.GetUsage().Entries);
        Assert.Empty(Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Setting_an_unserializable_value_keeps_the_previous_value()
    {
        using var cache = NewCache();
        cache.GetOrCreate("k", () => new WithCallback { Id = 1 }); // kept in memory only

        Assert.Throws<CacheSerializationException>(() => cache.Set("k", new WithCallback { Id = 2 }));

        Assert.Equal(1, cache.Get<WithCallback>("k").Value!.Id);
    }

    [Fact]
    public async Task GetOrCreate_keeps_an_unserializable_value_in_memory_only()
    {
        using var cache = NewCache();
        var calls = 0;

        for (var i = 0; i < 2; i++)
        {
            var value = await cache.GetOrCreateAsync("k", _ => new ValueTask<WithCallback>(new WithCallback { Id = ++calls }));
            Assert.Equal(1, value.Id);
            Assert.Equal(101, cache.GetOrCreate("s", () => new WithCallback { Id = 100 + calls }).Id);
        }

        Assert.Equal(1, calls);
        Assert.True(cache.Get<WithCallback>("k").HasValue);
        Assert.Equal(2, cache.MemoryStore!.Count);
        Assert.True(cache.MemoryStore.SizeBytes >= 2 * 1024, "each entry counts at least the 1 KiB estimate");
        Assert.Equal(0, cache.PersistentStore!.GetUsage().Entries);
        Assert.Empty(Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task With_the_cache_disabled_every_call_runs_the_factory_and_nothing_is_stored()
    {
        using var cache = NewCache(o => o.EnableCache = false);
        var calls = 0;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("v", await cache.GetOrCreateAsync("k", _ => { calls++; return new ValueTask<string>("v"); }));
            Assert.Equal("v", cache.GetOrCreate("k", () => { calls++; return "v"; }));
        }

        cache.Set("k", "v");
        await cache.SetAsync("k", new WithCallback()); // nothing is serialized when nothing is stored
#pragma warning restore CM0041

        Assert.Equal(6, calls);
        Assert.False(cache.Get<string>("k").HasValue);
        Assert.Null(cache.MemoryStore);
        Assert.Null(cache.PersistentStore);
        Assert.Null(cache.RedisStore);
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public async Task Statistics_count_hits_and_misses_per_tier_and_overall()
    {
        using var cache = NewCache();
        cache.Set("k", "v");

        Assert.True(cache.Get<string>("k").HasValue); // memory hit
        Assert.False(cache.Get<string>("missing").HasValue); // memory miss, disk miss
        cache.Clear(CacheTiers.Memory);
        Assert.True((await cache.GetAsync<string>("k")).HasValue); // memory miss, disk hit

        var stats = cache.GetStats();

        Assert.Equal(3, stats.TotalRequests);
        Assert.Equal(2, stats.TotalHits);
        Assert.Equal(2.0 / 3, stats.OverallHitRate, 6);
        Assert.Equal(CacheEnvironment.Main, stats.Environment);
        Assert.Equal(["memory", "disk"], stats.Tiers.Select(t => t.Name));
        var memory = stats["memory"]!;
        Assert.Equal((1L, 2L, 0L, 1L), (memory.Hits, memory.Misses, memory.Errors, memory.Entries));
        Assert.Equal(1.0 / 3, memory.HitRate, 6);
        var disk = stats["disk"]!;
        Assert.Equal((1L, 1L, 0L, 1L), (disk.Hits, disk.Misses, disk.Errors, disk.Entries));
        Assert.True(disk.SizeBytes > 0);
        Assert.True(disk.Available);
        Assert.Null(stats["redis"]);
    }

    [Fact]
    public void The_statistics_table_has_a_row_per_method_a_row_per_tier_and_the_totals()
    {
        using var cache = NewCache();
        cache.Set("k", "v");
        cache.Get<string>("k");
        cache.Get<string>("missing");

        var lines = cache.GetStats().ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(6, lines.Length);
        Assert.StartsWith("method", lines[0], StringComparison.Ordinal);
        // Requests (calls made), apart from the lookups of the tiers below.
        Assert.Matches(@"^\(direct\)\s+2\s+1\s+50[.,]0\s?%\s+1\s+0\s+0$", lines[1]);
        Assert.StartsWith("tier", lines[2], StringComparison.Ordinal);
        Assert.Matches(@"^memory\s+1\s+1\s+50[.,]0\s?%", lines[3]);
        Assert.Matches(@"^disk\s+0\s+1\s", lines[4]);
        Assert.EndsWith("up", lines[4], StringComparison.Ordinal);
        Assert.Contains("2 requests", lines[5], StringComparison.Ordinal);
        Assert.Contains("Main", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void ResetStats_sets_every_counter_to_zero()
    {
        using var cache = NewCache();
        cache.Set("k", "v");
        cache.Get<string>("k");
        cache.Get<string>("missing");

        cache.ResetStats();

        var stats = cache.GetStats();
        Assert.Equal(0, stats.TotalRequests);
        Assert.Equal(0, stats.OverallHitRate);
        Assert.All(stats.Tiers, t => Assert.Equal((0L, 0L, 0L), (t.Hits, t.Misses, t.Errors)));
    }

    [Fact]
    public void A_value_read_as_another_type_is_a_miss_in_memory()
    {
        using var cache = new CacheManager(TestOptions.Create(_time));
        cache.Set("k", new OcrPage("text", 1, 0.5));

        Assert.False(cache.Get<ConflictingPage>("k").HasValue);
        Assert.False(cache.Get<int>("k").HasValue);
        Assert.True(cache.Get<OcrPage>("k").HasValue);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_payload_of_a_conflicting_shape_is_a_miss_without_an_exception(bool async)
    {
        using var cache = NewCache(o => o.MemoryCacheSizeMb = 0);
        cache.Set("page", new OcrPage("text", 1, 0.5));
        cache.Set("number", new OcrPage("text", 1, 0.5));

        var conflicting = async ? await cache.GetAsync<ConflictingPage>("page") : cache.Get<ConflictingPage>("page");
        var number = async ? await cache.GetAsync<int>("number") : cache.Get<int>("number");

        Assert.False(conflicting.HasValue);
        Assert.False(number.HasValue);
    }

    [Fact]
    public void A_payload_of_an_unrelated_record_is_a_miss_not_a_default_filled_value()
    {
        using var cache = NewCache(o => o.MemoryCacheSizeMb = 0);
        cache.Set("k", new OcrPage("text", 1, 0.5));

        var read = cache.Get<UnrelatedResult>("k");

        // A hit here is an invented value: UnrelatedResult(null, 0) was never cached.
        Assert.False(read.HasValue, $"Read {read.Value} from an entry that holds an OcrPage.");
    }

    [Fact]
    public void Tiers_that_are_off_are_null_and_the_environment_is_reported()
    {
        using var cache = new CacheManager(TestOptions.Create(_time, diskPath: null, o => o.Environment = CacheEnvironment.AwsBatch));

        Assert.Equal(CacheEnvironment.AwsBatch, cache.CacheEnvironment);
        Assert.Null(cache.PersistentStore);
        Assert.Null(cache.RedisStore);
        Assert.Equal(16L * 1024 * 1024, cache.MemoryStore!.CapacityBytes);
    }

    [Fact]
    public void Redis_configured_without_a_store_factory_is_off_and_harmless()
    {
        using var cache = NewCache(o => o.Redis.Host = "localhost");

        Assert.Null(cache.RedisStore);
        cache.Set("k", "v");
        Assert.Equal("v", cache.Get<string>("k").Value);
        Assert.Equal(["memory", "disk"], cache.GetStats().Tiers.Select(t => t.Name));
    }

    [Fact]
    public async Task Dispose_is_idempotent()
    {
        var cache = NewCache();
        cache.Set("k", "v");

        await cache.DisposeAsync();
        await cache.DisposeAsync();
        cache.Dispose();
    }
}
