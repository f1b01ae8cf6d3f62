namespace CachedMethods;

// The in-memory index of the disk tier: entry sizes and access times, rebuilt from the folder at start,
// and the least-recently-used eviction that keeps the folder within its capacity.
public sealed partial class DiskCacheStore
{
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
            return;
        }

        // Written by another process sharing the folder. Checked again under the lock: a clear may have
        // removed the file since it was read, and the index must not count a file that is gone.
        lock (StripeOf(storageId))
        {
            if (File.Exists(PathOf(storageId)) && _index.TryAdd(storageId, new IndexEntry(size) { LastAccess = now }))
            {
                Interlocked.Add(ref _sizeBytes, size);
            }
        }
    }

    /// <summary>Records a file just moved into place; the caller holds the storage id's lock.</summary>
    private void Added(string storageId, long size)
    {
        var entry = new IndexEntry(size) { LastAccess = _time.GetUtcNow().UtcTicks };
        var old = _index.TryGetValue(storageId, out var previous) ? previous : null;
        _index[storageId] = entry;
        Interlocked.Add(ref _sizeBytes, size - (old?.Size ?? 0));
    }

    /// <summary>Drops the index line of a file found missing, unless a write put it back meanwhile.</summary>
    private void ForgetIfGone(string storageId, string path)
    {
        lock (StripeOf(storageId))
        {
            if (!File.Exists(path))
            {
                Forget(storageId);
            }
        }
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

                lock (StripeOf(id))
                {
                    TryDelete(PathOf(id));
                    Forget(id);
                }
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
