using System.Collections.Concurrent;

namespace CachedMethods;

/// <summary>
/// The in-process tier: a size-bounded, TTL-aware map from key to deserialized value with
/// least-recently-used eviction.
/// </summary>
/// <remarks>
/// <para>
/// Reads take no lock and allocate nothing: the map is keyed by the struct <see cref="KeyHash"/>, and
/// every entry keeps its full canonical key, compared on each hit, so a hash collision is a miss and
/// never a wrong value.
/// </para>
/// <para>
/// Sizes come from each entry's serialized length plus its key. When a write takes the tier over its
/// bound, one writer evicts expired entries and then the least recently used ones until the tier is at
/// 90% of the bound. Access times are recorded at a coarse grain (1/64 s) so that hot keys read from many
/// threads do not all write the same cache line on every hit.
/// </para>
/// <para>
/// Values are shared, not copied: a caller that mutates a returned object mutates the cached one.
/// Return immutable types (records) from cached methods.
/// </para>
/// </remarks>
public sealed class MemoryCacheTier
{
    private const long EntryOverheadBytes = 96;

    private readonly ConcurrentDictionary<KeyHash, Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly long _touchGrain;
    private readonly Lock _evictionLock = new();
    private long _sizeBytes;
    private long _evictions;

    internal MemoryCacheTier(long capacityBytes, TimeProvider time)
    {
        CapacityBytes = capacityBytes;
        _time = time;
        _touchGrain = Math.Max(1, time.TimestampFrequency / 64);
    }

    /// <summary>The bound, in bytes.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes held, counted from serialized lengths.</summary>
    public long SizeBytes => Interlocked.Read(ref _sizeBytes);

    /// <summary>Entries held, expired ones included until they are read or evicted.</summary>
    public int Count => _entries.Count;

    /// <summary>Entries evicted to stay within the bound since start.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    internal bool TryGet<T>(ReadOnlySpan<byte> canonicalKey, KeyHash hash, out T value)
    {
        if (_entries.TryGetValue(hash, out var entry) && entry.Key.AsSpan().SequenceEqual(canonicalKey))
        {
            var now = _time.GetTimestamp();
            if (now < entry.ExpiresAtTimestamp)
            {
                if (now - entry.LastAccess > _touchGrain)
                {
                    entry.LastAccess = now;
                }

                if (entry.Value is T typed)
                {
                    value = typed;
                    return true;
                }

                if (entry.Value is null && default(T) is null)
                {
                    value = default!;
                    return true;
                }
            }
            else
            {
                RemoveEntry(hash, entry);
            }
        }

        value = default!;
        return false;
    }

    internal void Set(CacheKey key, object? value, long serializedLength, TimeSpan timeToLive)
    {
        var size = serializedLength + key.Canonical.Length + EntryOverheadBytes;
        if (size > CapacityBytes || timeToLive <= TimeSpan.Zero)
        {
            Remove(key);
            return;
        }

        var now = _time.GetTimestamp();
        var ttlTicks = (long)Math.Min(timeToLive.TotalSeconds * _time.TimestampFrequency, long.MaxValue / 2);
        var entry = new Entry(key.Canonical, value, size, now + ttlTicks) { LastAccess = now };
        while (true)
        {
            if (_entries.TryGetValue(key.Hash, out var old))
            {
                if (_entries.TryUpdate(key.Hash, entry, old))
                {
                    Interlocked.Add(ref _sizeBytes, size - old.Size);
                    break;
                }
            }
            else if (_entries.TryAdd(key.Hash, entry))
            {
                Interlocked.Add(ref _sizeBytes, size);
                break;
            }
        }

        if (Interlocked.Read(ref _sizeBytes) > CapacityBytes)
        {
            Evict();
        }
    }

    internal bool Remove(CacheKey key) =>
        _entries.TryGetValue(key.Hash, out var entry)
        && entry.Key.AsSpan().SequenceEqual(key.Canonical)
        && RemoveEntry(key.Hash, entry);

    internal long Clear()
    {
        long removed = 0;
        foreach (var pair in _entries)
        {
            if (RemoveEntry(pair.Key, pair.Value))
            {
                removed++;
            }
        }

        return removed;
    }

    private bool RemoveEntry(KeyHash hash, Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<KeyHash, Entry>(hash, entry)))
        {
            Interlocked.Add(ref _sizeBytes, -entry.Size);
            return true;
        }

        return false;
    }

    private void Evict()
    {
        // One evictor at a time; a writer that finds one running leaves the work to it.
        if (!_evictionLock.TryEnter())
        {
            return;
        }

        try
        {
            var target = CapacityBytes / 10 * 9;
            var now = _time.GetTimestamp();
            var live = new List<KeyValuePair<KeyHash, Entry>>(_entries.Count);
            foreach (var pair in _entries)
            {
                if (pair.Value.ExpiresAtTimestamp <= now)
                {
                    RemoveEntry(pair.Key, pair.Value);
                }
                else
                {
                    live.Add(pair);
                }
            }

            if (Interlocked.Read(ref _sizeBytes) <= target)
            {
                return;
            }

            live.Sort(static (a, b) => a.Value.LastAccess.CompareTo(b.Value.LastAccess));
            foreach (var pair in live)
            {
                if (Interlocked.Read(ref _sizeBytes) <= target)
                {
                    break;
                }

                if (RemoveEntry(pair.Key, pair.Value))
                {
                    Interlocked.Increment(ref _evictions);
                }
            }
        }
        finally
        {
            _evictionLock.Exit();
        }
    }

    private sealed class Entry(byte[] key, object? value, long size, long expiresAtTimestamp)
    {
        public byte[] Key { get; } = key;
        public object? Value { get; } = value;
        public long Size { get; } = size;
        public long ExpiresAtTimestamp { get; } = expiresAtTimestamp;
        public long LastAccess;
    }
}
