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
/// <para>
/// On Unix the folders the store creates are <c>0700</c> and its files <c>0600</c> (before the umask): cached
/// results can be documents, readable by the process's user only. A folder that already exists keeps its mode.
/// </para>
/// <para>
/// .NET has no truly asynchronous file I/O on Linux: an "async" open, read or rename holds a thread-pool
/// thread until it returns. The asynchronous members therefore wait (without a thread) for one of
/// <see cref="MaxConcurrentIo"/> slots, so a slow or saturated disk can hold at most that many pool threads
/// and never starves the process. Synchronous members run on the caller's own thread and take no slot.
/// </para>
/// <para>
/// Each entry's file and its line in the index change together under a lock for its storage id, so a
/// <see cref="Clear"/> racing with writes leaves the index matching the folder: every file it keeps is indexed
/// and counted against the capacity.
/// </para>
/// </remarks>
public sealed partial class DiskCacheStore : ICacheStore
{
    private const string Extension = ".cme";
    private const string TempPrefix = ".tmp-";
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    private const UnixFileMode EntryFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode EntryFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const int StripeCount = 64;

    private readonly ConcurrentDictionary<string, IndexEntry> _index = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Lock _evictionLock = new();
    private readonly Lock[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new Lock()).ToArray();
    private readonly SemaphoreSlim _io;
    private long _sizeBytes;
    private int _inFlight;
    private int _peakInFlight;
    private int _queued;

    /// <summary>Opens (creating if needed) the folder <paramref name="root"/> and indexes what it holds.</summary>
    public DiskCacheStore(string root, long capacityBytes, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Root = Path.GetFullPath(root);
        CapacityBytes = capacityBytes;
        _time = timeProvider ?? TimeProvider.System;
        MaxConcurrentIo = Math.Clamp(Environment.ProcessorCount * 2, 4, 16);
        _io = new SemaphoreSlim(MaxConcurrentIo, MaxConcurrentIo);
        CreateFolder(Root);
        RebuildIndex();
    }

    /// <summary>The folder entries live in.</summary>
    public string Root { get; }

    /// <summary>The bound, in bytes.</summary>
    public long CapacityBytes { get; }

    /// <summary>How many asynchronous calls may touch the file system at once: twice the processor count, from 4 to 16.</summary>
    public int MaxConcurrentIo { get; }

    /// <summary>The most asynchronous calls seen touching the file system at once (never over <see cref="MaxConcurrentIo"/>).</summary>
    internal int PeakConcurrentIo => Volatile.Read(ref _peakInFlight);

    /// <summary>Asynchronous calls waiting for an I/O slot now.</summary>
    internal int QueuedIo => Volatile.Read(ref _queued);

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
            ForgetIfGone(storageId, path);
            return null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken)
    {
        var path = PathOf(storageId);
        await EnterIoAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            Touch(storageId, bytes.Length);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            ForgetIfGone(storageId, path);
            return null;
        }
        finally
        {
            ExitIo();
        }
    }

    /// <inheritdoc/>
    public void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive)
    {
        var path = PathOf(storageId);
        var temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, NewFile(FileOptions.None)))
            {
                stream.Write(envelope.Span);
            }

            MoveIntoPlace(storageId, temp, path, envelope.Length);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        EvictIfOver();
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var path = PathOf(storageId);
        await EnterIoAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var temp = TempPathFor(path);
            try
            {
                var stream = new FileStream(temp, NewFile(FileOptions.Asynchronous));
                await using (stream.ConfigureAwait(false))
                {
                    await stream.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
                }

                MoveIntoPlace(storageId, temp, path, envelope.Length);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }

            EvictIfOver();
        }
        finally
        {
            ExitIo();
        }
    }

    /// <inheritdoc/>
    public bool Delete(string storageId)
    {
        var path = PathOf(storageId);
        lock (StripeOf(storageId))
        {
            var existed = TryDelete(path);
            Forget(storageId);
            return existed;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken)
    {
        await EnterIoAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Delete(storageId);
        }
        finally
        {
            ExitIo();
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Each file is deleted and forgotten under its storage id's lock, never by wiping the whole index: an
    /// entry written while the clear runs either goes with it or stays indexed.
    /// </remarks>
    public long Clear()
    {
        long removed = 0;
        foreach (var file in EnumerateEntries())
        {
            var id = Path.GetFileNameWithoutExtension(file);
            if (!IsValidStorageId(id))
            {
                continue;
            }

            lock (StripeOf(id))
            {
                if (TryDelete(file))
                {
                    removed++;
                }

                Forget(id);
            }
        }

        return removed;
    }

    /// <inheritdoc/>
    public async ValueTask<long> ClearAsync(CancellationToken cancellationToken)
    {
        await EnterIoAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Clear();
        }
        finally
        {
            ExitIo();
        }
    }

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
        CreateFolder(folder);
        return Path.Combine(folder, TempPrefix + Guid.NewGuid().ToString("N"));
    }

    private static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        if (Directory.Exists(folder))
        {
            return;
        }

        // The mode overload applies to the last folder only: create each missing parent with it too.
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder));
        if (!string.IsNullOrEmpty(parent))
        {
            CreateFolder(parent);
        }

        Directory.CreateDirectory(folder, EntryFolderMode);
    }

    private static FileStreamOptions NewFile(FileOptions options)
    {
        var stream = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 1,
            Options = options,
        };
        if (!OperatingSystem.IsWindows())
        {
            stream.UnixCreateMode = EntryFileMode;
        }

        return stream;
    }

    /// <summary>Renames the finished temp file over the entry and records its size, as one step for this storage id.</summary>
    private void MoveIntoPlace(string storageId, string temp, string path, long size)
    {
        lock (StripeOf(storageId))
        {
            File.Move(temp, path, overwrite: true);
            Added(storageId, size);
        }
    }

    private Lock StripeOf(string storageId) => _stripes[(storageId[0] * 31 + storageId[1]) % StripeCount];

    private async ValueTask EnterIoAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queued);
        try
        {
            await _io.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }

        var now = Interlocked.Increment(ref _inFlight);
        var peak = Volatile.Read(ref _peakInFlight);
        while (now > peak && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
        {
            peak = Volatile.Read(ref _peakInFlight);
        }
    }

    private void ExitIo()
    {
        Interlocked.Decrement(ref _inFlight);
        _io.Release();
    }
}
