using System.ComponentModel;
using CachedMethods.Internal;

namespace CachedMethods;

public sealed partial class CacheManager
{
    /// <summary>
    /// Looks <paramref name="canonicalKey"/> up in the memory tier only. Takes no lock and allocates
    /// nothing: generated wrappers call it with a key built on the stack before anything else.
    /// </summary>
    /// <returns>
    /// <see langword="true"/> on a fresh hit, even when the cached value is <see langword="null"/>;
    /// <see langword="false"/> on a miss and for an entry due for refresh-ahead, which the get-or-create
    /// path then returns while it refreshes the entry.
    /// </returns>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool TryGetMemory<T>(ReadOnlySpan<byte> canonicalKey, out T value)
    {
        if (_memory is not null && _memory.TryGet(canonicalKey, KeyHash.Compute(canonicalKey), out value))
        {
            _memoryCounters.Hit();
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Reads <paramref name="key"/> from the first tier that has it, promoting it upward.</summary>
    /// <returns><see langword="true"/> on a hit, even when the cached value is <see langword="null"/> or empty.</returns>
    public bool TryGet<T>(string key, out T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var builder = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            builder.AppendRawKey(key);
            if (TryGetMemory(builder.Written, out value))
            {
                return true;
            }

            return TryGetBelowMemoryCounted(builder.ToCacheKey(), out value);
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>Reads <paramref name="key"/> from the first tier that has it, promoting it upward.</summary>
    public bool TryGet<T>(CacheKey key, out T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryGetMemory(key.Canonical, out value) || TryGetBelowMemoryCounted(key, out value);
    }

    /// <summary>Reads <paramref name="key"/>; the result tells a cached <see langword="null"/> from a miss.</summary>
    public CacheResult<T> Get<T>(string key) => TryGet<T>(key, out var value) ? CacheResult<T>.Hit(value) : CacheResult<T>.Miss;

    /// <summary>Reads <paramref name="key"/>; the result tells a cached <see langword="null"/> from a miss.</summary>
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return GetAsync<T>(CacheKey.FromString(key), cancellationToken);
    }

    /// <summary>Reads <paramref name="key"/>; the result tells a cached <see langword="null"/> from a miss.</summary>
    public ValueTask<CacheResult<T>> GetAsync<T>(CacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (TryGetMemory<T>(key.Canonical, out var value))
        {
            return new ValueTask<CacheResult<T>>(CacheResult<T>.Hit(value));
        }

        return GetBelowMemoryAsync<T>(key, cancellationToken);
    }

    private bool TryGetBelowMemoryCounted<T>(CacheKey key, out T value)
    {
        CountMiss(CacheTiers.All);
        if (_memory?.TryGetForUpdate(key, out value) is MemoryLookup.DueForRefresh)
        {
            _memoryCounters.Hit();
            return true;
        }

        var read = ReadBelowMemorySync<T>(key, CacheTiers.All);
        value = read.Value;
        return read.Found;
    }

    private async ValueTask<CacheResult<T>> GetBelowMemoryAsync<T>(CacheKey key, CancellationToken cancellationToken)
    {
        CountMiss(CacheTiers.All);
        if (_memory?.TryGetForUpdate(key, out T cached) is MemoryLookup.DueForRefresh)
        {
            _memoryCounters.Hit();
            return CacheResult<T>.Hit(cached);
        }

        var read = await ReadBelowMemoryAsync<T>(key, CacheTiers.All, cancellationToken).ConfigureAwait(false);
        return read.Found ? CacheResult<T>.Hit(read.Value) : CacheResult<T>.Miss;
    }

    /// <summary>Counts a request that the memory tier did not answer.</summary>
    private void CountMiss(CacheTiers tiers)
    {
        Interlocked.Increment(ref _requestsPastMemoryHit);
        if (_memory is not null && (tiers & CacheTiers.Memory) != 0)
        {
            _memoryCounters.Miss();
        }
    }

    private LowerRead<T> ReadBelowMemorySync<T>(CacheKey key, CacheTiers tiers, double refreshFraction = 0)
    {
        var stale = default(LowerRead<T>);
        for (var i = 0; i < _stores.Length; i++)
        {
            var store = _stores[i];
            if ((tiers & store.Tier) == 0 || !store.CanRunSynchronously)
            {
                continue;
            }

            var frame = store.Get(key.StorageId);
            T value = default!;
            EnvelopeContent content = default;
            var status = frame is null ? OpenStatus.Missing : TryOpen(store, key, frame, out value, out content);
            if (status == OpenStatus.Fresh && !IsInvalidatedByTagsLocally(content))
            {
                store.Counters.Hit();
                PromoteSync(key, value, frame!, content, i, tiers);
                return LowerRead<T>.Hit(value, IsDueForRefresh(content, refreshFraction));
            }

            store.Counters.Miss();
            if (status == OpenStatus.Stale && !stale.HasStale)
            {
                stale = LowerRead<T>.StaleOnly(value);
            }
            else if (status == OpenStatus.Damaged)
            {
                store.Delete(key.StorageId);
            }
        }

        return stale;
    }

    private async ValueTask<LowerRead<T>> ReadBelowMemoryAsync<T>(CacheKey key, CacheTiers tiers, CancellationToken cancellationToken, double refreshFraction = 0)
    {
        var stale = default(LowerRead<T>);
        for (var i = 0; i < _stores.Length; i++)
        {
            var store = _stores[i];
            if ((tiers & store.Tier) == 0)
            {
                continue;
            }

            var frame = await store.GetAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
            T value = default!;
            EnvelopeContent content = default;
            var status = frame is null ? OpenStatus.Missing : TryOpen(store, key, frame, out value, out content);
            if (status == OpenStatus.Fresh && await IsInvalidatedByTagsAsync(content, cancellationToken).ConfigureAwait(false))
            {
                status = OpenStatus.Damaged;
            }

            if (status == OpenStatus.Fresh)
            {
                store.Counters.Hit();
                await PromoteAsync(key, value, frame!, content, i, tiers, cancellationToken).ConfigureAwait(false);
                return LowerRead<T>.Hit(value, IsDueForRefresh(content, refreshFraction));
            }

            store.Counters.Miss();
            if (status == OpenStatus.Stale && !stale.HasStale)
            {
                stale = LowerRead<T>.StaleOnly(value);
            }
            else if (status == OpenStatus.Damaged)
            {
                await store.DeleteAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
            }
        }

        return stale;
    }

    /// <summary>Checks a frame read from <paramref name="store"/> and deserializes it.</summary>
    private OpenStatus TryOpen<T>(GuardedStore store, CacheKey key, byte[] frame, out T value, out EnvelopeContent content)
    {
        value = default!;
        var status = Envelope.TryRead(frame, key.Digest, _time.GetUtcNow(), out content);
        if (status != EnvelopeStatus.Valid)
        {
            if (status != EnvelopeStatus.Expired)
            {
                Log.BadEntry(_logger, key.StorageId, store.Name, status.ToString().ToLowerInvariant());
            }

            return OpenStatus.Damaged;
        }

        if (!content.ValueType.Span.SequenceEqual(ValueTypeName<T>.Utf8))
        {
            // Written as another type under the same key: not ours to read, nor to delete.
            Log.OtherType(_logger, key.StorageId, store.Name, System.Text.Encoding.UTF8.GetString(content.ValueType.Span), typeof(T).ToString());
            return OpenStatus.Missing;
        }

        try
        {
            value = _serializer.Deserialize<T>(content.Payload);
        }
        catch (Exception ex)
        {
            // Bytes another version or another type wrote: a miss, and the entry is replaced.
            Log.UnreadableEntry(_logger, key.StorageId, store.Name, typeof(T).FullName ?? typeof(T).Name, ex);
            return OpenStatus.Damaged;
        }

        return content.IsStale ? OpenStatus.Stale : OpenStatus.Fresh;
    }

    private bool IsDueForRefresh(in EnvelopeContent content, double fraction) =>
        fraction is > 0 and < 1 && _time.GetUtcNow() - content.CreatedAt >= (content.ExpiresAt - content.CreatedAt) * fraction;

    private void PromoteSync<T>(CacheKey key, T value, byte[] frame, in EnvelopeContent content, int foundAt, CacheTiers tiers)
    {
        var remaining = content.ExpiresAt - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        PromoteToMemory(key, value, content, remaining, tiers);
        for (var i = 0; i < foundAt; i++)
        {
            var store = _stores[i];
            if ((tiers & store.Tier) != 0 && Admits(store, content.Payload.Length))
            {
                WriteFrameSync(store, key.StorageId, frame, content.RetainUntil - _time.GetUtcNow());
            }
        }
    }

    private async ValueTask PromoteAsync<T>(CacheKey key, T value, byte[] frame, EnvelopeContent content, int foundAt, CacheTiers tiers, CancellationToken cancellationToken)
    {
        var remaining = content.ExpiresAt - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        PromoteToMemory(key, value, content, remaining, tiers);
        for (var i = 0; i < foundAt; i++)
        {
            var store = _stores[i];
            if ((tiers & store.Tier) != 0 && Admits(store, content.Payload.Length))
            {
                await store.SetAsync(key.StorageId, frame, content.RetainUntil - _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void PromoteToMemory<T>(CacheKey key, T value, in EnvelopeContent content, TimeSpan remaining, CacheTiers tiers)
    {
        if (_memory is null || (tiers & CacheTiers.Memory) == 0)
        {
            return;
        }

        if (content.Payload.Length > Options.MaxMemoryEntryBytes)
        {
            _memoryCounters.Skip();
            return;
        }

        _memory.Set(key, value, content.Payload.Length, remaining, content.RetainUntil - content.ExpiresAt, refreshAfter: null, content.Tags.Count == 0 ? null : content.Tags);
    }

    private enum OpenStatus
    {
        Missing,
        Fresh,
        Stale,
        Damaged,
    }

    /// <summary>What the tiers below memory gave: a fresh value, or only a stale one kept for fail-safe.</summary>
    private readonly record struct LowerRead<T>(bool Found, T Value, bool HasStale, bool RefreshDue)
    {
        public static LowerRead<T> Hit(T value, bool refreshDue) => new(true, value, false, refreshDue);

        public static LowerRead<T> StaleOnly(T value) => new(false, value, true, false);
    }
}
