using System.Collections.Concurrent;
using System.ComponentModel;
using CachedMethods.Internal;

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
/// Sizes come from each entry's serialized length plus its key and tags. When a write takes the tier over its
/// bound, one writer evicts expired entries and then the least recently used ones until the tier is at
/// 90% of the bound. Access times are recorded at a coarse grain (1/64 s) so that hot keys read from many
/// threads do not all write the same cache line on every hit.
/// </para>
/// <para>
/// Values are shared, not copied: a caller that mutates a returned object mutates the cached one.
/// Return immutable types (records) from cached methods.
/// </para>
/// </remarks>
#pragma warning disable CS0618 // Derives from its own old name, kept so that code written against it still compiles.
public sealed class MemoryCacheStore : MemoryCacheTier
#pragma warning restore CS0618
{
    private const long EntryOverheadBytes = 96;
    private const long TagOverheadBytes = 96;

    private readonly ConcurrentDictionary<KeyHash, MemoryEntry> _entries = new();
    private readonly TimeProvider _time;
    private readonly long _touchGrain;
    private readonly bool _coarse;
    private readonly long _frequency;
    private readonly Lock _evictionLock = new();
    private readonly MethodRegistry _methods;
    private long _sizeBytes;
    private long _evictions;

    // Change stamps (see ChangeStamp): one counter per stripe of keys, bumped by every write and removal of a key
    // in the stripe, and one for changes to many keys at once (a clear, a tag).
    private const int ChangeStripes = 1024;
    private readonly long[] _keyChanges = new long[ChangeStripes];
    private long _wideChanges;

    internal MemoryCacheStore(long capacityBytes, TimeProvider time)
        : this(capacityBytes, time, new MethodRegistry())
    {
    }

    internal MemoryCacheStore(long capacityBytes, TimeProvider time, MethodRegistry methods)
    {
        CapacityBytes = capacityBytes;
        _time = time;
        _methods = methods;
        // On the system clock, the coarse millisecond tick costs a fraction of a high-resolution
        // timestamp on every hit; TTLs do not need more than millisecond precision.
        _coarse = ReferenceEquals(time, TimeProvider.System);
        _frequency = _coarse ? 1000 : time.TimestampFrequency;
        _touchGrain = Math.Max(1, _frequency / 64);
    }

    /// <summary>The bound, in bytes.</summary>
    public override long CapacityBytes { get; }

    /// <summary>Bytes held, counted from serialized lengths.</summary>
    public override long SizeBytes => Interlocked.Read(ref _sizeBytes);

    /// <summary>Entries held, expired ones included until they are read or evicted.</summary>
    public override int Count => _entries.Count;

    /// <summary>Entries evicted to stay within the bound since start.</summary>
    public override long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>The hot-path read: a fresh entry only.</summary>
    internal bool TryGet<T>(ReadOnlySpan<byte> canonicalKey, KeyHash hash, out T value) =>
        Lookup(canonicalKey, hash, out value, out _) == MemoryLookup.Fresh;

    /// <summary>
    /// The slow-path read, one probe that tells everything: a fresh entry, one due for refresh-ahead,
    /// one kept past its TTL for fail-safe (<see cref="MemoryLookup.Stale"/>), or none.
    /// </summary>
    internal MemoryLookup Lookup<T>(ReadOnlySpan<byte> canonicalKey, KeyHash hash, out T value, out MemoryEntry? found)
    {
        if (_entries.TryGetValue(hash, out var entry) && entry.Key.AsSpan().SequenceEqual(canonicalKey) && TryCast(entry, out value))
        {
            found = entry;
            var now = Now();
            // One comparison covers both freshness and refresh-ahead: FreshUntil is the earlier of the two.
            if (now < entry.FreshUntil)
            {
                Touch(entry, now);
                return MemoryLookup.Fresh;
            }

            if (now < entry.ExpiresAt)
            {
                return MemoryLookup.DueForRefresh;
            }

            if (now < entry.RetainUntil)
            {
                return MemoryLookup.Stale;
            }

            RemoveEntry(hash, entry);
        }

        value = default!;
        found = null;
        return MemoryLookup.Miss;
    }

    /// <summary>The read of a <see cref="MemoryIndex{TArgs}"/>: an entry it found is served while it is still held here and fresh.</summary>
    internal bool TryReadFresh<T>(MemoryEntry entry, out T value)
    {
        var now = Now();
        if (!entry.Detached && now < entry.FreshUntil && TryCast(entry, out value))
        {
            Touch(entry, now);
            return true;
        }

        value = default!;
        return false;
    }

    private void Touch(MemoryEntry entry, long now)
    {
        if (now - entry.LastAccess > _touchGrain)
        {
            entry.LastAccess = now;
        }
    }

    private static bool TryCast<T>(MemoryEntry entry, out T value)
    {
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

        value = default!;
        return false;
    }

    /// <summary>
    /// What an entry counts against the bound and against <see cref="CacheOptions.MaxMemoryEntryBytes"/>: its
    /// serialized value, its key, its tags (a digest string and its slot each) and a fixed overhead (issue 14, item 4).
    /// </summary>
    internal static long EntrySize(CacheKey key, long serializedLength, IReadOnlyList<string>? tags) =>
        serializedLength + key.Canonical.Length + EntryOverheadBytes + ((tags?.Count ?? 0) * TagOverheadBytes);

    internal void Set(CacheKey key, object? value, long serializedLength, TimeSpan timeToLive) =>
        Set(key, value, serializedLength, timeToLive, TimeSpan.Zero, refreshAfter: null, tags: null);

    /// <summary>Stores an entry fresh for <paramref name="timeToLive"/>, kept <paramref name="retainFor"/> longer for fail-safe.</summary>
    internal void Set(CacheKey key, object? value, long serializedLength, TimeSpan timeToLive, TimeSpan retainFor, TimeSpan? refreshAfter, IReadOnlyList<string>? tags)
    {
        Changed(key.Hash);
        Store(key, value, serializedLength, timeToLive, retainFor, refreshAfter, tags);
    }

    /// <summary>
    /// A number that moves whenever <paramref name="hash"/>'s entry is written or removed, or many entries are
    /// (a clear, a tag): a read from below memory takes it before it starts, and promotes with it.
    /// </summary>
    internal long ChangeStamp(KeyHash hash) =>
        Volatile.Read(ref _keyChanges[Stripe(hash)]) + Volatile.Read(ref _wideChanges);

    /// <summary>
    /// Stores a copy read from below memory, unless the key changed since <paramref name="stamp"/> was taken: a
    /// read that began before a write, a delete, a tag invalidation or a clear must not put back what it removed.
    /// The changer moves the stamp before it removes; this stores, then looks: whichever comes second undoes the copy.
    /// </summary>
    internal void Promote(CacheKey key, long stamp, object? value, long serializedLength, TimeSpan timeToLive, TimeSpan retainFor, TimeSpan? refreshAfter, IReadOnlyList<string>? tags)
    {
        if (ChangeStamp(key.Hash) != stamp)
        {
            return;
        }

        if (Store(key, value, serializedLength, timeToLive, retainFor, refreshAfter, tags) is { } stored && ChangeStamp(key.Hash) != stamp)
        {
            RemoveEntry(key.Hash, stored);
        }
    }

    // KeyHash.GetHashCode folds the key's own hash (computed from its bytes, not a per-process string hash);
    // the stripe never leaves the process anyway.
    private static int Stripe(KeyHash hash) => hash.GetHashCode() & (ChangeStripes - 1);

    private void Changed(KeyHash hash) => Interlocked.Increment(ref _keyChanges[Stripe(hash)]);

    private void ChangedWide() => Interlocked.Increment(ref _wideChanges);

    private MemoryEntry? Store(CacheKey key, object? value, long serializedLength, TimeSpan timeToLive, TimeSpan retainFor, TimeSpan? refreshAfter, IReadOnlyList<string>? tags)
    {
        var size = EntrySize(key, serializedLength, tags);
        if (size > CapacityBytes || timeToLive <= TimeSpan.Zero)
        {
            Remove(key);
            return null;
        }

        var now = Now();
        var expiresAt = now + Ticks(timeToLive);
        var freshUntil = refreshAfter is { } refresh && refresh < timeToLive ? now + Ticks(refresh) : expiresAt;
        var entry = new MemoryEntry(key.Canonical, value, size, freshUntil, expiresAt, expiresAt + Ticks(retainFor), tags, _methods.For(key)) { LastAccess = now };
        while (true)
        {
            if (_entries.TryGetValue(key.Hash, out var old))
            {
                if (_entries.TryUpdate(key.Hash, entry, old))
                {
                    old.Detach();
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

        return entry;
    }

    /// <summary>Pushes back the refresh-ahead point of an entry, so that a refresh another process owns is not retried on every hit.</summary>
    internal void PostponeRefresh(CacheKey key, TimeSpan delay)
    {
        if (_entries.TryGetValue(key.Hash, out var entry) && entry.Key.AsSpan().SequenceEqual(key.Canonical))
        {
            entry.FreshUntil = Math.Min(entry.ExpiresAt, Now() + Ticks(delay));
        }
    }

    /// <summary>Drops whatever entry sits under <paramref name="hash"/>: used for invalidations from other processes.</summary>
    internal bool RemoveByHash(KeyHash hash)
    {
        Changed(hash);
        return _entries.TryGetValue(hash, out var entry) && RemoveEntry(hash, entry);
    }

    /// <summary>Drops every entry carrying <paramref name="tag"/>.</summary>
    internal long RemoveByTag(string tag)
    {
        ChangedWide();
        long removed = 0;
        foreach (var pair in _entries)
        {
            if (pair.Value.Tags is { } tags && tags.Contains(tag) && RemoveEntry(pair.Key, pair.Value))
            {
                removed++;
            }
        }

        return removed;
    }

    private long Ticks(TimeSpan span) => (long)Math.Min(span.TotalSeconds * _frequency, long.MaxValue / 4);

    private long Now() => _coarse ? Environment.TickCount64 : _time.GetTimestamp();

    internal bool Remove(CacheKey key)
    {
        Changed(key.Hash);
        return _entries.TryGetValue(key.Hash, out var entry)
            && entry.Key.AsSpan().SequenceEqual(key.Canonical)
            && RemoveEntry(key.Hash, entry);
    }

    internal long Clear()
    {
        ChangedWide();
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

    private bool RemoveEntry(KeyHash hash, MemoryEntry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<KeyHash, MemoryEntry>(hash, entry)))
        {
            entry.Detach();
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
            var now = Now();
            var live = new List<KeyValuePair<KeyHash, MemoryEntry>>(_entries.Count);
            foreach (var pair in _entries)
            {
                if (pair.Value.RetainUntil <= now)
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
}

/// <summary>
/// The old name of <see cref="MemoryCacheStore"/>: a tier is a level of the engine (<see cref="CacheTiers"/>),
/// a store is what serves it.
/// </summary>
[Obsolete("Renamed MemoryCacheStore.")]
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MemoryCacheTier
{
    private protected MemoryCacheTier()
    {
    }

    /// <summary>The bound, in bytes.</summary>
    public abstract long CapacityBytes { get; }

    /// <summary>Bytes held, counted from serialized lengths.</summary>
    public abstract long SizeBytes { get; }

    /// <summary>Entries held, expired ones included until they are read or evicted.</summary>
    public abstract int Count { get; }

    /// <summary>Entries evicted to stay within the bound since start.</summary>
    public abstract long Evictions { get; }
}

/// <summary>What the slow-path memory read found.</summary>
internal enum MemoryLookup
{
    Miss,
    Fresh,
    DueForRefresh,
    Stale,
}
