using CachedMethods.Internal;

namespace CachedMethods;

public sealed partial class CacheManager
{
    /// <summary>
    /// Looks <paramref name="canonicalKey"/> up in the memory tier only. Takes no lock and allocates
    /// nothing: generated wrappers call it with a key built on the stack before anything else.
    /// </summary>
    /// <returns><see langword="true"/> on a hit, even when the cached value is <see langword="null"/>.</returns>
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

            CountMiss(CacheTiers.All);
            return TryGetBelowMemory(builder.ToCacheKey(), CacheTiers.All, out value);
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
        if (TryGetMemory(key.Canonical, out value))
        {
            return true;
        }

        CountMiss(CacheTiers.All);
        return TryGetBelowMemory(key, CacheTiers.All, out value);
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

        CountMiss(CacheTiers.All);
        return ReadBelowMemoryAsync<T>(key, CacheTiers.All, cancellationToken);
    }

    private bool TryGetBelowMemory<T>(CacheKey key, CacheTiers tiers, out T value)
    {
        for (var i = 0; i < _stores.Length; i++)
        {
            var store = _stores[i];
            if ((tiers & store.Tier) == 0 || !store.CanRunSynchronously)
            {
                continue;
            }

            var frame = store.Get(key.StorageId);
            var damaged = false;
            if (frame is not null && TryOpen(store, key, frame, out value, out var expiresAt, out damaged))
            {
                store.Counters.Hit();
                PromoteSync(key, value, frame, expiresAt, i, tiers);
                return true;
            }

            store.Counters.Miss();
            if (frame is not null && damaged)
            {
                store.Delete(key.StorageId);
            }
        }

        value = default!;
        return false;
    }

    private async ValueTask<CacheResult<T>> ReadBelowMemoryAsync<T>(CacheKey key, CacheTiers tiers, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _stores.Length; i++)
        {
            var store = _stores[i];
            if ((tiers & store.Tier) == 0)
            {
                continue;
            }

            var frame = await store.GetAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
            var damaged = false;
            if (frame is not null && TryOpen<T>(store, key, frame, out var value, out var expiresAt, out damaged))
            {
                store.Counters.Hit();
                await PromoteAsync(key, value, frame, expiresAt, i, tiers, cancellationToken).ConfigureAwait(false);
                return CacheResult<T>.Hit(value);
            }

            store.Counters.Miss();
            if (frame is not null && damaged)
            {
                await store.DeleteAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
            }
        }

        return CacheResult<T>.Miss;
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

    /// <summary>Checks a frame read from <paramref name="store"/> and deserializes it; a bad frame is a miss.</summary>
    private bool TryOpen<T>(GuardedStore store, CacheKey key, byte[] frame, out T value, out DateTimeOffset expiresAt, out bool damaged)
    {
        value = default!;
        expiresAt = default;
        var status = Envelope.TryRead(frame, key.Digest, _time.GetUtcNow(), out var content);
        if (status != EnvelopeStatus.Valid)
        {
            damaged = true;
            if (status != EnvelopeStatus.Expired)
            {
                Log.BadEntry(_logger, key.StorageId, store.Name, status.ToString().ToLowerInvariant());
            }

            return false;
        }

        try
        {
            value = _serializer.Deserialize<T>(content.Payload);
            expiresAt = content.ExpiresAt;
            damaged = false;
            return true;
        }
        catch (Exception ex)
        {
            // Bytes another version or another type wrote: a miss, and the entry is replaced below.
            Log.UnreadableEntry(_logger, key.StorageId, store.Name, typeof(T).FullName ?? typeof(T).Name, ex);
            damaged = true;
            return false;
        }
    }

    private void PromoteSync<T>(CacheKey key, T value, byte[] frame, DateTimeOffset expiresAt, int foundAt, CacheTiers tiers)
    {
        var remaining = expiresAt - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        if ((tiers & CacheTiers.Memory) != 0)
        {
            _memory?.Set(key, value, frame.Length - Envelope.HeaderSize - Envelope.TrailerSize, remaining);
        }

        for (var i = 0; i < foundAt; i++)
        {
            var store = _stores[i];
            if ((tiers & store.Tier) != 0)
            {
                WriteFrameSync(store, key.StorageId, frame, remaining);
            }
        }
    }

    private async ValueTask PromoteAsync<T>(CacheKey key, T value, byte[] frame, DateTimeOffset expiresAt, int foundAt, CacheTiers tiers, CancellationToken cancellationToken)
    {
        var remaining = expiresAt - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        if ((tiers & CacheTiers.Memory) != 0)
        {
            _memory?.Set(key, value, frame.Length - Envelope.HeaderSize - Envelope.TrailerSize, remaining);
        }

        for (var i = 0; i < foundAt; i++)
        {
            var store = _stores[i];
            if ((tiers & store.Tier) != 0)
            {
                await store.SetAsync(key.StorageId, frame, remaining, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
