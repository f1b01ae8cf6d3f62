using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Faults;

/// <summary>Write-through and promotion across memory, a dictionary-backed Redis and disk.</summary>
public sealed class PromotionTests : IDisposable
{
    private readonly TempFolder _folder = new("promotion");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();
    private readonly InMemoryStore _redis = new();
    private readonly CacheManager _cache;

    public PromotionTests() =>
        _cache = new CacheManager(TestOptions.Create(_time, _folder.Path, o => o.UseFakeRedis(_redis)));

    public void Dispose()
    {
        _cache.Dispose();
        _folder.Dispose();
    }

    private static string Id(string key) => CacheKey.FromString(key).StorageId;

    private string DiskPath(string key) => Path.Combine(_folder.Path, "main", Id(key)[..2], Id(key) + ".cme");

    [Fact]
    public async Task A_set_writes_the_same_frame_to_redis_and_disk_with_its_ttl()
    {
        await _cache.SetAsync("k", new OcrPage("text", 1, 0.5), TimeSpan.FromMinutes(10));
        _cache.Set("s", "sync", TimeSpan.FromMinutes(5));

        Assert.Equal(File.ReadAllBytes(DiskPath("k")), _redis.Entries[Id("k")]);
        Assert.Equal(File.ReadAllBytes(DiskPath("s")), _redis.Entries[Id("s")]);
        Assert.Equal([(Id("k"), TimeSpan.FromMinutes(10)), (Id("s"), TimeSpan.FromMinutes(5))], _redis.Writes);
        Assert.Equal(2, _cache.MemoryStore!.Count);
        Assert.NotNull(_cache.RedisStore);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_value_found_only_on_disk_is_promoted_to_redis_and_memory_with_its_remaining_ttl(bool async)
    {
        _cache.Set("k", "v", TimeSpan.FromMinutes(10));
        Assert.Equal(2, _cache.Clear(CacheTiers.Memory | CacheTiers.Redis));
        _redis.Writes.Clear();
        _time.Advance(TimeSpan.FromMinutes(4));

        var read = async ? await _cache.GetAsync<string>("k") : _cache.Get<string>("k");

        Assert.Equal("v", read.Value);
        Assert.Equal([(Id("k"), TimeSpan.FromMinutes(6))], _redis.Writes);
        Assert.Equal(File.ReadAllBytes(DiskPath("k")), _redis.Entries[Id("k")]);
        Assert.Equal(1, _cache.MemoryStore!.Count);
        var stats = _cache.GetStats();
        Assert.Equal((0L, 1L), (stats["redis"]!.Hits, stats["redis"]!.Misses));
        Assert.Equal(1, stats["disk"]!.Hits);
    }

    [Fact]
    public void A_value_found_in_redis_is_promoted_to_memory_only()
    {
        _cache.Set("k", "v");
        _cache.Clear(CacheTiers.Memory | CacheTiers.Persistent);
        _redis.Writes.Clear();

        Assert.Equal("v", _cache.Get<string>("k").Value);

        Assert.Equal(1, _cache.MemoryStore!.Count);
        Assert.Empty(_redis.Writes);
        Assert.False(File.Exists(DiskPath("k")));
        Assert.Equal(1, _cache.GetStats()["redis"]!.Hits);
    }

    [Fact]
    public async Task GetOrCreate_promotes_a_lower_tier_hit_instead_of_running_the_factory()
    {
        _cache.Set("k", "stored", TimeSpan.FromMinutes(10));
        _cache.Clear(CacheTiers.Memory | CacheTiers.Redis);
        _time.Advance(TimeSpan.FromMinutes(1));

        var value = await _cache.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("must not run"));

        Assert.Equal("stored", value);
        Assert.Equal(TimeSpan.FromMinutes(9), _redis.Writes.Last().Ttl);
    }

    [Fact]
    public void A_damaged_redis_entry_is_a_miss_and_is_deleted_while_disk_still_answers()
    {
        _cache.Set("k", "v");
        _cache.Clear(CacheTiers.Memory);
        _redis.Put(Id("k"), [0x43, 0x4d, 1, 0, 9, 9, 9]);

        Assert.Equal("v", _cache.Get<string>("k").Value);

        Assert.Contains(Id("k"), _redis.Deletes);
        Assert.Equal(File.ReadAllBytes(DiskPath("k")), _redis.Entries[Id("k")]); // repaired by promotion
        var redisStats = _cache.GetStats()["redis"]!;
        Assert.Equal((0L, 1L, 0L), (redisStats.Hits, redisStats.Misses, redisStats.Errors));
    }

    [Fact]
    public void An_expired_redis_entry_is_a_miss_and_left_to_redis_to_expire()
    {
        _cache.Set("k", "v", TimeSpan.FromMinutes(1));
        _cache.Clear(CacheTiers.Memory | CacheTiers.Persistent);
        _time.Advance(TimeSpan.FromMinutes(1));

        // This clock may run ahead of the writer's: an entry other processes still read is not ours to delete.
        Assert.False(_cache.Get<string>("k").HasValue);
        Assert.DoesNotContain(Id("k"), _redis.Deletes);
    }

    [Fact]
    public void Statistics_list_memory_redis_and_disk_in_order()
    {
        _cache.Set("k", "v");
        _cache.Clear(CacheTiers.Memory);
        _cache.Get<string>("k");

        var stats = _cache.GetStats();
        Assert.Equal(["memory", "redis", "disk"], stats.Tiers.Select(t => t.Name));
        Assert.Equal(1, stats["redis"]!.Hits);
        Assert.Equal(1, stats["redis"]!.Entries);
        var rows = stats.ToString().Split('\n');
        Assert.Contains(rows, r => r.StartsWith("redis ", StringComparison.Ordinal));
    }
}
