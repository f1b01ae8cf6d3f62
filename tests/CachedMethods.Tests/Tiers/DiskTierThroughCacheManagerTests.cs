using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Tiers;

/// <summary>The disk tier as the engine uses it: layout per worker, damaged entries, restarts, promotion.</summary>
public sealed class DiskTierThroughCacheManagerTests : IDisposable
{
    private readonly TempFolder _folder = new("disk-tier");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();

    public void Dispose() => _folder.Dispose();

    private CacheManager NewCache(Action<CacheOptions>? configure = null) => new(TestOptions.Create(_time, _folder.Path, configure));

    /// <summary>A cache with no memory tier: every read goes to disk.</summary>
    private CacheManager NewDiskOnlyCache() => NewCache(o => o.MemoryCacheSizeMb = 0);

    private string EntryPath(string key, string worker = "main")
    {
        var id = CacheKey.FromString(key).StorageId;
        return Path.Combine(_folder.Path, worker, id[..2], id + ".cme");
    }

    private string[] AllFiles() => Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories);

    private static async Task<CacheResult<T>> Read<T>(CacheManager cache, string key, bool async) =>
        async ? await cache.GetAsync<T>(key) : cache.Get<T>(key);

    [Fact]
    public void Entries_live_under_the_main_folder_sharded_by_storage_id_with_no_raw_key_in_any_name()
    {
        using var cache = NewCache();
        cache.Set("invoice.pdf", new OcrPage("total 12", 1, 0.9));

        Assert.Equal([EntryPath("invoice.pdf")], AllFiles());
        Assert.DoesNotContain(AllFiles(), f => f.Contains("invoice", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(cache.PersistentStore);
        Assert.Equal(Path.Combine(_folder.Path, "main"), ((DiskCacheStore)cache.PersistentStore).Root);
    }

    [Theory]
    [InlineData("CELERY_WORKER_ID", "celery@gpu-1", "celery_gpu-1")]
    [InlineData("CACHE_WORKER_ID", "worker-7", "worker-7")]
    [InlineData("CELERY_WORKER_ID", "../../etc", "______etc")]
    public void A_worker_writes_to_a_folder_derived_from_its_id(string variable, string workerId, string folder)
    {
        var variables = new Dictionary<string, string?> { [variable] = workerId, ["DISK_CACHE_PATH"] = _folder.Path };
        var options = CacheOptions.FromEnvironment(variables.GetValueOrDefault);
        options.TimeProvider = _time;
        options.DiskCacheSizeGb = 1;
        using var cache = new CacheManager(options);

        cache.Set("k", "v");

        Assert.Equal(CacheEnvironment.Worker, cache.CacheEnvironment);
        Assert.Equal([EntryPath("k", folder)], AllFiles());
    }

    [Fact]
    public void Workers_sharing_a_disk_path_do_not_share_entries()
    {
        CacheManager Worker(string id) => NewCache(o =>
        {
            o.Environment = null;
            o.WorkerId = id;
            o.MemoryCacheSizeMb = 0;
        });
        using var first = Worker("w1");
        using var second = Worker("w2");

        first.Set("k", "from w1");

        Assert.False(second.Get<string>("k").HasValue);
        Assert.Equal("from w1", first.Get<string>("k").Value);
    }

    public static TheoryData<string, bool> Damages => new()
    {
        { "truncated", false }, { "truncated", true },
        { "flipped", false }, { "flipped", true },
        { "emptied", false }, { "emptied", true },
        { "garbage", false }, { "garbage", true },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_file_is_a_miss_and_is_deleted(string damage, bool async)
    {
        using var cache = NewDiskOnlyCache();
        cache.Set("k", new OcrPage(new string('x', 500), 3, 0.5));
        var path = EntryPath("k");
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated": File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); break;
            case "flipped": bytes[bytes.Length / 2] ^= 0x01; File.WriteAllBytes(path, bytes); break;
            case "emptied": File.WriteAllBytes(path, []); break;
            default: File.WriteAllText(path, "this is not a cache entry at all"); break;
        }

        var result = await Read<OcrPage>(cache, "k", async);

        Assert.False(result.HasValue);
        Assert.False(File.Exists(path), "The damaged file was left on disk.");
        Assert.Equal(0, cache.GetStats()["disk"]!.Entries);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_expired_file_is_a_miss_and_is_deleted(bool async)
    {
        using var cache = NewDiskOnlyCache();
        cache.Set("k", "v", TimeSpan.FromMinutes(5));

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.True((await Read<string>(cache, "k", async)).HasValue);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False((await Read<string>(cache, "k", async)).HasValue);
        Assert.False(File.Exists(EntryPath("k")));
    }

    [Fact]
    public void An_entry_copied_under_another_key_is_a_miss_and_is_deleted()
    {
        using var cache = NewDiskOnlyCache();
        cache.Set("a", "value of a");
        cache.Set("b", "value of b");

        File.Copy(EntryPath("a"), EntryPath("b"), overwrite: true);

        Assert.False(cache.Get<string>("b").HasValue);
        Assert.False(File.Exists(EntryPath("b")));
        Assert.Equal("value of a", cache.Get<string>("a").Value);
    }

    [Fact]
    public async Task Entries_survive_a_restart()
    {
        using (var before = NewCache())
        {
            before.Set("k", new OcrPage("persisted", 2, 0.7));
            await before.SetAsync("null", (string?)null);
        }

        using var after = NewCache();

        Assert.Equal(2, after.PersistentStore!.GetUsage().Entries);
        Assert.Equal(new OcrPage("persisted", 2, 0.7), after.Get<OcrPage>("k").Value);
        Assert.Equal(CacheResult<string?>.Hit(null), await after.GetAsync<string?>("null"));
        Assert.Equal(2, after.GetStats()["disk"]!.Hits); // both reads came from disk: memory starts empty
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_value_served_from_disk_is_promoted_to_memory(bool async)
    {
        using var cache = NewCache();
        cache.Set("k", new OcrPage("promote me", 1, 1));
        Assert.Equal(1, cache.Clear(CacheTiers.Memory));
        Assert.Equal(0, cache.MemoryStore!.Count);

        Assert.Equal(new OcrPage("promote me", 1, 1), (await Read<OcrPage>(cache, "k", async)).Value);
        Assert.Equal(1, cache.MemoryStore.Count);

        Assert.True((await Read<OcrPage>(cache, "k", async)).HasValue);
        var stats = cache.GetStats();
        Assert.Equal(1, stats["disk"]!.Hits); // the second read was answered by memory
        Assert.Equal(1, stats["memory"]!.Hits);
        Assert.Equal(1, stats["memory"]!.Misses);
    }

    [Fact]
    public void A_promoted_entry_keeps_its_remaining_ttl()
    {
        using var cache = NewCache();
        cache.Set("k", "v", TimeSpan.FromSeconds(100));
        _time.Advance(TimeSpan.FromSeconds(60));
        cache.Clear(CacheTiers.Memory);
        Assert.True(cache.Get<string>("k").HasValue); // promoted with 40 s left

        cache.Clear(CacheTiers.Persistent); // only the promoted copy is left
        _time.Advance(TimeSpan.FromSeconds(39));
        Assert.True(cache.Get<string>("k").HasValue);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.Get<string>("k").HasValue);
    }

    [Fact]
    public void An_entry_restricted_to_memory_is_not_written_to_disk()
    {
        using var cache = NewCache();
        cache.Set(CacheKey.FromString("k"), "v", new CacheEntryOptions { Tiers = CacheTiers.Memory });
        cache.Set(CacheKey.FromString("p"), "v", new CacheEntryOptions { Tiers = CacheTiers.Persistent });

        Assert.Equal([EntryPath("p")], AllFiles());
        Assert.Equal(1, cache.MemoryStore!.Count);
    }

    [Fact]
    public void The_disk_bound_comes_from_DiskCacheSizeGb()
    {
        using var cache = NewCache(o => o.DiskCacheSizeGb = 0.5);

        Assert.Equal(512L * 1024 * 1024, ((DiskCacheStore)cache.PersistentStore!).CapacityBytes);
    }
}
