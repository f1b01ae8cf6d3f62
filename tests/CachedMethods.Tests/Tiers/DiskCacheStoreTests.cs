using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Tiers;

/// <summary>The disk store on its own: layout, ids, atomic writes, index, LRU.</summary>
public sealed class DiskCacheStoreTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly TempFolder _folder = new("disk-store");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();

    public void Dispose() => _folder.Dispose();

    private static string Id(int i) => CacheKey.FromString("entry-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).StorageId;

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private DiskCacheStore NewStore(long capacity = 1 << 20) => new(_folder.Path, capacity, _time);

    private string PathOf(string id) => Path.Combine(_folder.Path, id[..2], id + ".cme");

    private string[] AllFiles() => Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories);

    [Fact]
    public void An_entry_lives_in_a_two_character_shard_named_by_its_id()
    {
        var store = NewStore();
        var id = Id(1);

        store.Set(id, Bytes(100, 1), Hour);

        Assert.Equal([PathOf(id)], AllFiles());
        Assert.Equal(Bytes(100, 1), File.ReadAllBytes(PathOf(id)));
        Assert.Equal(Bytes(100, 1), store.Get(id));
    }

    [Fact]
    public async Task Sync_and_async_reads_and_writes_see_each_other()
    {
        var store = NewStore();

        await store.SetAsync(Id(1), Bytes(10, 1), Hour, CancellationToken.None);
        store.Set(Id(2), Bytes(20, 2), Hour);

        Assert.Equal(Bytes(10, 1), store.Get(Id(1)));
        Assert.Equal(Bytes(20, 2), await store.GetAsync(Id(2), CancellationToken.None));
        Assert.Null(store.Get(Id(3)));
        Assert.Null(await store.GetAsync(Id(3), CancellationToken.None));
        Assert.Equal(new StoreUsage(2, 30), store.GetUsage());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("/tmp/0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("../456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task An_invalid_storage_id_is_rejected_by_every_operation(string id)
    {
        var store = NewStore();

        Assert.Throws<ArgumentException>(() => store.Get(id));
        Assert.Throws<ArgumentException>(() => store.Set(id, Bytes(10, 1), Hour));
        Assert.Throws<ArgumentException>(() => store.Delete(id));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetAsync(id, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync(id, Bytes(10, 1), Hour, CancellationToken.None));
        Assert.Empty(AllFiles());
        Assert.False(DiskCacheStore.IsValidStorageId(id));
    }

    [Fact]
    public async Task Writes_and_overwrites_leave_no_temporary_files()
    {
        var store = NewStore();
        for (var i = 0; i < 20; i++)
        {
            store.Set(Id(i), Bytes(200, i), Hour);
            await store.SetAsync(Id(i + 100), Bytes(200, i), Hour, CancellationToken.None);
        }

        for (var i = 0; i < 20; i++)
        {
            store.Set(Id(i), Bytes(300, i), Hour);
            await store.SetAsync(Id(i + 100), Bytes(300, i), Hour, CancellationToken.None);
        }

        var files = AllFiles();
        Assert.Equal(40, files.Length);
        Assert.All(files, f => Assert.EndsWith(".cme", f, StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(new StoreUsage(40, 40 * 300), store.GetUsage());
    }

    [Fact]
    public async Task Concurrent_writers_of_one_entry_leave_one_whole_entry()
    {
        var store = NewStore();
        var versions = Enumerable.Range(0, 16).Select(i => Bytes(4096, i)).ToArray();

        await Task.WhenAll(versions.Select(v => Task.Run(() => store.Set(Id(1), v, Hour))));

        var stored = store.Get(Id(1));
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(stored));
        Assert.Single(AllFiles());
        Assert.Equal(new StoreUsage(1, 4096), store.GetUsage());
    }

    [Fact]
    public void The_index_is_rebuilt_at_startup()
    {
        var first = NewStore();
        for (var i = 0; i < 5; i++)
        {
            first.Set(Id(i), Bytes(100 * (i + 1), i), Hour);
        }

        var second = NewStore();

        Assert.Equal(first.GetUsage(), second.GetUsage());
        Assert.Equal(new StoreUsage(5, 1_500), second.GetUsage());
        Assert.Equal(Bytes(300, 2), second.Get(Id(2)));
    }

    [Fact]
    public void Rebuilding_ignores_files_that_are_not_entries()
    {
        var first = NewStore();
        first.Set(Id(1), Bytes(100, 1), Hour);
        File.WriteAllText(Path.Combine(_folder.Path, Id(1)[..2], "notes.txt"), "not an entry");
        File.WriteAllText(Path.Combine(_folder.Path, Id(1)[..2], "not-a-storage-id.cme"), "not an entry");
        File.WriteAllText(Path.Combine(_folder.Path, Id(1)[..2], ".tmp-0123"), "a write in progress");

        var second = NewStore();

        Assert.Equal(new StoreUsage(1, 100), second.GetUsage());
    }

    [Fact]
    public void Delete_and_clear_report_what_they_removed()
    {
        var store = NewStore();
        for (var i = 0; i < 4; i++)
        {
            store.Set(Id(i), Bytes(10, i), Hour);
        }

        Assert.True(store.Delete(Id(0)));
        Assert.False(store.Delete(Id(0)));
        Assert.Equal(new StoreUsage(3, 30), store.GetUsage());

        Assert.Equal(3, store.Clear());
        Assert.Empty(AllFiles());
        Assert.Equal(new StoreUsage(0, 0), store.GetUsage());
    }

    [Fact]
    public void An_entry_deleted_by_another_process_is_a_miss_and_leaves_the_index()
    {
        var store = NewStore();
        store.Set(Id(1), Bytes(10, 1), Hour);
        File.Delete(PathOf(Id(1)));

        Assert.Null(store.Get(Id(1)));
        Assert.Equal(new StoreUsage(0, 0), store.GetUsage());
    }

    [Fact]
    public void The_least_recently_used_entries_are_evicted_at_the_size_bound()
    {
        var store = NewStore(capacity: 10_000);
        for (var i = 0; i < 10; i++)
        {
            store.Set(Id(i), Bytes(1_000, i), Hour);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(new StoreUsage(10, 10_000), store.GetUsage()); // at the bound, not over it
        Assert.NotNull(store.Get(Id(0))); // touch the oldest
        _time.Advance(TimeSpan.FromSeconds(1));

        store.Set(Id(10), Bytes(1_000, 10), Hour); // over: back to 90%

        Assert.True(store.GetUsage().Bytes <= 9_000, $"Usage {store.GetUsage()} after eviction.");
        Assert.True(File.Exists(PathOf(Id(0))), "The touched entry was evicted.");
        Assert.False(File.Exists(PathOf(Id(1))), "The least recently used entry survived.");
        Assert.False(File.Exists(PathOf(Id(2))), "The second least recently used entry survived.");
        for (var i = 3; i <= 10; i++)
        {
            Assert.True(File.Exists(PathOf(Id(i))), $"Entry {i} was evicted.");
        }
    }

    [Fact]
    public void A_store_opened_over_a_fuller_folder_evicts_down_to_its_bound()
    {
        var big = NewStore(capacity: 100_000);
        for (var i = 0; i < 10; i++)
        {
            big.Set(Id(i), Bytes(1_000, i), Hour);
        }

        var small = NewStore(capacity: 5_000);

        Assert.True(small.GetUsage().Bytes <= 5_000);
        Assert.Equal(small.GetUsage().Entries, AllFiles().Length);
    }

    [Fact]
    public void The_root_folder_is_created()
    {
        var root = Path.Combine(_folder.Path, "a", "b");
        var store = new DiskCacheStore(root, 1_000, _time);

        Assert.True(Directory.Exists(root));
        Assert.Equal(Path.GetFullPath(root), store.Root);
        Assert.Equal(CacheTiers.Persistent, store.Tier);
    }
}
