using System.Diagnostics;
using CachedMethods.FaultTests.Fixtures;
using CachedMethods.TestSupport;

namespace CachedMethods.FaultTests;

/// <summary>
/// The disk tier under its faults: private files, an index that matches the folder after a clear races with
/// writes, a stuck disk that may hold only a few pool threads, and a full or read-only file system.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DiskFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = TestEnvironment.NewTempFolder("disk-fault");

    public void Dispose() => TestEnvironment.DeleteFolder(_root);

    [Fact]
    public async Task Folders_are_0700_and_files_0600_on_unix()
    {
        var store = new DiskCacheStore(Path.Combine(_root, "cache", "worker"), 1 << 20);
        var id = Id(1);
        await store.SetAsync(id, new byte[100], TimeSpan.FromHours(1), CancellationToken.None);
        store.Set(Id(2), new byte[100], TimeSpan.FromHours(1));

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(_root, "cache")));
        Assert.Equal(Private, File.GetUnixFileMode(store.Root));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(store.Root, id[..2])));
        Assert.All(Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories),
            file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    [Fact]
    public async Task A_clear_racing_with_writes_leaves_the_index_matching_the_folder()
    {
        var store = new DiskCacheStore(Path.Combine(_root, "race"), long.MaxValue / 4);
        using var stop = new CancellationTokenSource();
        var clears = 0;
        var clearing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await store.ClearAsync(CancellationToken.None);
                clears++;
            }
        });
        var written = 0;
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                if (Interlocked.Increment(ref written) == 8 * 250)
                {
                    // The last writes land after the clears stop, so the folder ends up holding entries.
                    await stop.CancelAsync();
                }

                var id = Id(w * 1000 + (i % 150));
                if (i % 3 == 0)
                {
                    store.Set(id, new byte[100 + i], TimeSpan.FromHours(1));
                }
                else
                {
                    await store.SetAsync(id, new byte[100 + i], TimeSpan.FromHours(1), CancellationToken.None);
                }

                if (i % 7 == 0)
                {
                    await store.GetAsync(Id(((w + 1) % 8 * 1000) + i % 150), CancellationToken.None);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await clearing;

        var files = Directory.EnumerateFiles(store.Root, "*.cme", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
        var usage = store.GetUsage();
        output.WriteLine($"{clears} clears raced 2,400 writes; {files.Count} files on disk, {usage.Entries} indexed");
        Assert.True(clears > 1);
        Assert.NotEmpty(files);
        Assert.Equal(files.Count, usage.Entries);
        Assert.Equal(files.Sum(f => f.Length), usage.Bytes);
    }

    [Fact]
    public async Task A_stuck_disk_holds_at_most_the_io_bound_of_pool_threads()
    {
        var store = new DiskCacheStore(Path.Combine(_root, "stuck"), 1 << 20);
        const int Readers = 40;
        var ids = Enumerable.Range(0, Readers).Select(Id).ToArray();
        foreach (var id in ids)
        {
            // A FIFO blocks open() until a writer comes: a disk that does not answer.
            var path = Path.Combine(store.Root, id[..2], id + ".cme");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var mkfifo = Process.Start("mkfifo", [path]);
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Started on the pool, as a server's requests are: the open itself blocks the thread that runs it.
        var reads = ids.Select(id => Task.Run(() => store.GetAsync(id, CancellationToken.None).AsTask())).ToArray();
        Assert.True(await Eventually.HoldsAsync(() => store.QueuedIo == Readers - store.MaxConcurrentIo, 60),
            $"queued {store.QueuedIo}, peak {store.PeakConcurrentIo}, bound {store.MaxConcurrentIo}");
        Assert.Equal(store.MaxConcurrentIo, store.PeakConcurrentIo);
        // The pool still runs other work while the disk is stuck.
        Assert.Equal(1, await Task.Run(() => 1));

        // Unstick the disk: each FIFO gets a writer, which unblocks its reader.
        var writers = ids.Select(id => Task.Factory.StartNew(() =>
        {
            using var fifo = new FileStream(Path.Combine(store.Root, id[..2], id + ".cme"), FileMode.Open, FileAccess.Write);
            fifo.Write("not an envelope"u8);
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers);
        var results = await Task.WhenAll(reads);

        output.WriteLine($"{Readers} reads of a stuck disk: at most {store.PeakConcurrentIo} on pool threads at once (bound {store.MaxConcurrentIo})");
        Assert.All(results, r => Assert.Equal("not an envelope"u8.ToArray(), r));
        Assert.Equal(store.MaxConcurrentIo, store.PeakConcurrentIo);
    }

    [RootFact]
    public async Task A_full_disk_and_a_read_only_disk_are_misses_never_exceptions()
    {
        using var tmpfs = await SmallTmpfs.MountAsync(Path.Combine(_root, "tmpfs"), "1m");
        var options = new CacheOptions { DiskCachePath = tmpfs.Path, MemoryCacheSizeMb = 0, DiskCacheSizeGb = 1 };
        await using var cache = new CacheManager(options);
        await cache.SetAsync("kept", "written before the disk filled");

        // Full: 1 MB of tmpfs takes a handful of 300 KB values, then every write fails with ENOSPC.
        var noise = new byte[300_000];
        new Random(14).NextBytes(noise); // incompressible
        for (var i = 0; i < 10; i++)
        {
            await cache.SetAsync(CacheKey.FromString($"big{i}"), noise, new CacheEntryOptions { Tiers = CacheTiers.Persistent });
            cache.Set(CacheKey.FromString($"big-sync{i}"), noise, new CacheEntryOptions { Tiers = CacheTiers.Persistent });
            Assert.Equal(i, await cache.GetOrCreateAsync($"computed{i}", _ => new ValueTask<int>(i)));
        }

        // The failed writes may have opened the disk tier's circuit: a read is then a miss, never an exception, and the
        // entry written before the disk filled is served again once the circuit's probe succeeds.
        string? kept = null;
        Assert.True(
            await Eventually.HoldsAsync(() => kept == "written before the disk filled", 30, async () => kept = (await cache.GetAsync<string>("kept")).Value),
            $"the entry written before the disk filled was not served again; last read: {kept ?? "null"}");
        Assert.True(cache.GetStats()["disk"]!.Errors > 0);
        Assert.Empty(Directory.EnumerateFiles(tmpfs.Path, ".tmp-*", SearchOption.AllDirectories));

        // Read-only: writes fail, reads still serve what is there.
        await cache.ClearAsync();
        await cache.SetAsync("before-ro", "value");
        await tmpfs.RemountAsync("ro");
        for (var i = 0; i < 5; i++)
        {
            await cache.SetAsync($"ro{i}", i);
            cache.Set($"ro-sync{i}", i);
            await cache.DeleteAsync("never-there");
        }

        var options2 = new CacheOptions { DiskCachePath = tmpfs.Path, MemoryCacheSizeMb = 0, DiskCacheSizeGb = 1 };
        await using var reader = new CacheManager(options2);
        Assert.Equal("value", (await reader.GetAsync<string>("before-ro")).Value);
        await tmpfs.RemountAsync("rw");
    }

    private static string Id(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
}
