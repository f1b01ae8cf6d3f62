using System.Collections.Concurrent;

namespace CachedMethods;

/// <summary>
/// The local persistent tier: one file per entry under <c>{root}/{first two characters}/{storage id}.cme</c>,
/// bounded in bytes with least-recently-used eviction.
/// </summary>
/// <remarks>
/// <para>
/// Writes go to a temporary file in the same folder and are renamed into place, which is atomic on
/// one file system: a reader, in this process or another sharing the folder, sees the old entry, the
/// new one, or none, never a torn one. Each entry's envelope carries a checksum, so bytes damaged by a
/// crash or the disk are a miss that the engine deletes. No fsync is issued: a lost write costs a
/// recomputation, never a wrong value.
/// </para>
/// <para>
/// The index of sizes and access times lives in memory and is rebuilt from the folder at start. Other
/// processes sharing the folder keep their own index; an entry one of them removed is a miss here.
/// File names are storage ids (64 hex characters), checked on every call, so no key can name a path
/// outside the root.
/// </para>
/// </remarks>
public sealed class DiskCacheStore : ICacheStore
{
    private const string Extension = ".cme";
    private const string TempPrefix = ".tmp-";
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, IndexEntry> _index = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Lock _evictionLock = new();
    private long _sizeBytes;

    /// <summary>Opens (creating if needed) the folder <paramref name="root"/> and indexes what it holds.</summary>
    public DiskCacheStore(string root, long capacityBytes, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Root = Path.GetFullPath(root);
        CapacityBytes = capacityBytes;
        _time = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(Root);
        RebuildIndex();
    }

    /// <summary>The folder entries live in.</summary>
    public string Root { get; }

    /// <summary>The bound, in bytes.</summary>
    public long CapacityBytes { get; }

    /// <inheritdoc/>
    public CacheTiers Tier => CacheTiers.Persistent;

    /// <inheritdoc/>
    public string Name => "disk";

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public bool SupportsSynchronousIo => true;

    /// <inheritdoc/>
    public byte[]? Get(string storageId)
    {
        var path = PathOf(storageId);
        try
        {
            var bytes = File.ReadAllBytes(path);
            Touch(storageId, bytes.Length);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Forget(storageId);
            return null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken)
    {
        var path = PathOf(storageId);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            Touch(storageId, bytes.Length);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Forget(storageId);
            return null;
        }
    }

    /// <inheritdoc/>
    public void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive)
    {
        var path = PathOf(storageId);
        var temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(envelope.Span);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        Added(storageId, envelope.Length);
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var path = PathOf(storageId);
        var temp = TempPathFor(path);
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        Added(storageId, envelope.Length);
    }

    /// <inheritdoc/>
    public bool Delete(string storageId)
    {
        var path = PathOf(storageId);
        var existed = File.Exists(path);
        TryDelete(path);
        Forget(storageId);
        return existed;
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken) => new(Delete(storageId));

    /// <inheritdoc/>
    public long Clear()
    {
        long removed = 0;
        foreach (var file in EnumerateEntries())
        {
            if (TryDelete(file))
            {
                removed++;
            }
        }

        _index.Clear();
        Interlocked.Exchange(ref _sizeBytes, 0);
        return removed;
    }

    /// <inheritdoc/>
    public ValueTask<long> ClearAsync(CancellationToken cancellationToken) => new(Clear());

    /// <inheritdoc/>
    public StoreUsage GetUsage() => new(_index.Count, Interlocked.Read(ref _sizeBytes));

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Whether <paramref name="storageId"/> has the shape of a storage id: 64 lowercase hex characters.</summary>
    public static bool IsValidStorageId(string storageId)
    {
        if (storageId is not { Length: 64 })
        {
            return false;
        }

        foreach (var c in storageId)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private string PathOf(string storageId)
    {
        if (!IsValidStorageId(storageId))
        {
            throw new ArgumentException($"'{storageId}' is not a storage id (64 lowercase hex characters); disk entries are named only by key hashes.", nameof(storageId));
        }

        return Path.Combine(Root, storageId[..2], storageId + Extension);
    }

    private static string TempPathFor(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, TempPrefix + Guid.NewGuid().ToString("N"));
    }

    private IEnumerable<string> EnumerateEntries() =>
        Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*" + Extension, SearchOption.AllDirectories)
            : [];

    private void RebuildIndex()
    {
        var now = _time.GetUtcNow();
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var info = new FileInfo(file);
                var name = info.Name;
                if (name.StartsWith(TempPrefix, StringComparison.Ordinal))
                {
                    // Left by a process that died mid-write; a live writer renames within milliseconds.
                    if (now - info.LastWriteTimeUtc > StaleTempAge)
                    {
                        TryDelete(file);
                    }

                    continue;
                }

                var id = Path.GetFileNameWithoutExtension(name);
                if (name.EndsWith(Extension, StringComparison.Ordinal) && IsValidStorageId(id))
                {
                    var lastUse = Math.Max(info.LastWriteTimeUtc.Ticks, info.LastAccessTimeUtc.Ticks);
                    if (_index.TryAdd(id, new IndexEntry(info.Length) { LastAccess = lastUse }))
                    {
                        Interlocked.Add(ref _sizeBytes, info.Length);
                    }
                }
            }
        }

        EvictIfOver();
    }

    private void Touch(string storageId, long size)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (_index.TryGetValue(storageId, out var entry))
        {
            entry.LastAccess = now;
        }
        else if (_index.TryAdd(storageId, new IndexEntry(size) { LastAccess = now }))
        {
            // Written by another process sharing the folder.
            Interlocked.Add(ref _sizeBytes, size);
        }
    }

    private void Added(string storageId, long size)
    {
        var entry = new IndexEntry(size) { LastAccess = _time.GetUtcNow().UtcTicks };
        var old = default(IndexEntry);
        _index.AddOrUpdate(storageId, entry, (_, previous) =>
        {
            old = previous;
            return entry;
        });
        Interlocked.Add(ref _sizeBytes, size - (old?.Size ?? 0));
        EvictIfOver();
    }

    private void Forget(string storageId)
    {
        if (_index.TryRemove(storageId, out var entry))
        {
            Interlocked.Add(ref _sizeBytes, -entry.Size);
        }
    }

    private void EvictIfOver()
    {
        if (Interlocked.Read(ref _sizeBytes) <= CapacityBytes || !_evictionLock.TryEnter())
        {
            return;
        }

        try
        {
            var target = CapacityBytes / 10 * 9;
            var oldestFirst = _index.ToArray();
            Array.Sort(oldestFirst, static (a, b) => a.Value.LastAccess.CompareTo(b.Value.LastAccess));
            foreach (var (id, _) in oldestFirst)
            {
                if (Interlocked.Read(ref _sizeBytes) <= target)
                {
                    break;
                }

                TryDelete(PathOf(id));
                Forget(id);
            }
        }
        finally
        {
            _evictionLock.Exit();
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private sealed class IndexEntry(long size)
    {
        public long Size { get; } = size;
        public long LastAccess { get; set; }
    }
}
