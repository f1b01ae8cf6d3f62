using System.Buffers;
using CachedMethods.Internal;

namespace CachedMethods;

public sealed partial class CacheManager
{
    /// <summary>Stores <paramref name="value"/> in every enabled tier.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; <see langword="null"/> and empty values are cached like any other.</param>
    /// <param name="ttl">Time to live; <see langword="null"/> means the default TTL.</param>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public void Set<T>(string key, T value, TimeSpan? ttl = null) => Set(CacheKey.FromString(key), value, EntryOptions(ttl));

    /// <summary>Stores <paramref name="value"/> in the tiers <paramref name="options"/> allow.</summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public void Set<T>(CacheKey key, T value, CacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_memory is null && _stores.Length == 0)
        {
            return;
        }

        var entry = Prepare(key, value, options ?? _defaultEntryOptions, throwIfUnserializable: true);
        if (entry is { } prepared)
        {
            WriteSync(key, value, prepared, options ?? _defaultEntryOptions);
        }
    }

    /// <summary>Stores <paramref name="value"/> in every enabled tier.</summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public ValueTask SetAsync<T>(string key, T value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        SetAsync(CacheKey.FromString(key), value, EntryOptions(ttl), cancellationToken);

    /// <summary>Stores <paramref name="value"/> in the tiers <paramref name="options"/> allow.</summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public ValueTask SetAsync<T>(CacheKey key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_memory is null && _stores.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        var entry = Prepare(key, value, options ?? _defaultEntryOptions, throwIfUnserializable: true);
        return entry is { } prepared ? WriteAsync(key, value, prepared, options ?? _defaultEntryOptions, cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Removes <paramref name="key"/> from every tier; <see langword="true"/> when any tier held it.</summary>
    public bool Delete(string key) => Delete(CacheKey.FromString(key));

    /// <summary>Removes <paramref name="key"/> from every tier; <see langword="true"/> when any tier held it.</summary>
    public bool Delete(CacheKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var removed = _memory?.Remove(key) ?? false;
        foreach (var store in _stores)
        {
            if (store.CanRunSynchronously)
            {
                removed |= store.Delete(key.StorageId);
            }
            else
            {
                var id = key.StorageId;
                _backgroundWriter!.Enqueue(store, async s => await s.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false));
            }
        }

        return removed;
    }

    /// <summary>Removes <paramref name="key"/> from every tier; <see langword="true"/> when any tier held it.</summary>
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        DeleteAsync(CacheKey.FromString(key), cancellationToken);

    /// <summary>Removes <paramref name="key"/> from every tier; <see langword="true"/> when any tier held it.</summary>
    public async ValueTask<bool> DeleteAsync(CacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var removed = _memory?.Remove(key) ?? false;
        foreach (var store in _stores)
        {
            removed |= await store.DeleteAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>
    /// Removes every entry of this cache from <paramref name="tiers"/> (Redis: only its prefix, by SCAN and
    /// UNLINK) and returns how many were removed. Synchronous: S3 is cleared in the background and not counted.
    /// </summary>
    public long Clear(CacheTiers tiers = CacheTiers.All)
    {
        long removed = 0;
        if ((tiers & CacheTiers.Memory) != 0 && _memory is not null)
        {
            removed += _memory.Clear();
        }

        foreach (var store in _stores)
        {
            if ((tiers & store.Tier) == 0)
            {
                continue;
            }

            if (store.CanRunSynchronously)
            {
                removed += store.Clear();
            }
            else
            {
                _backgroundWriter!.Enqueue(store, async s => await s.ClearAsync(CancellationToken.None).ConfigureAwait(false));
            }
        }

        return removed;
    }

    /// <summary>Removes every entry of this cache from <paramref name="tiers"/> and returns how many were removed.</summary>
    public async ValueTask<long> ClearAsync(CacheTiers tiers = CacheTiers.All, CancellationToken cancellationToken = default)
    {
        long removed = 0;
        if ((tiers & CacheTiers.Memory) != 0 && _memory is not null)
        {
            removed += _memory.Clear();
        }

        foreach (var store in _stores)
        {
            if ((tiers & store.Tier) != 0)
            {
                removed += await store.ClearAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return removed;
    }

    private CacheEntryOptions EntryOptions(TimeSpan? ttl) =>
        ttl is null ? _defaultEntryOptions : new CacheEntryOptions { Ttl = ttl };

    /// <summary>Serializes once for every tier; <see langword="null"/> when nothing should be stored.</summary>
    private PreparedEntry? Prepare<T>(CacheKey key, T value, CacheEntryOptions options, bool throwIfUnserializable)
    {
        var ttl = options.Ttl ?? Options.DefaultTtl;
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), ttl, "A cache TTL must be positive.");
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            _serializer.Serialize(buffer, value);
        }
        catch (Exception ex)
        {
            var type = typeof(T).FullName ?? typeof(T).Name;
            if (throwIfUnserializable)
            {
                throw new CacheSerializationException($"A value of type {type} cannot be serialized for the cache; nothing was stored. {ex.Message}", ex);
            }

            Log.NotSerializable(_logger, type, ex);
            return null;
        }

        var now = _time.GetUtcNow();
        var needsFrame = _stores.Length > 0 && (options.Tiers & (CacheTiers.Redis | CacheTiers.Persistent)) != 0;
        var frame = needsFrame ? Envelope.Create(key.Digest, buffer.WrittenSpan, now, now + ttl) : null;
        return new PreparedEntry(frame, buffer.WrittenCount, ttl);
    }

    private void WriteSync<T>(CacheKey key, T value, PreparedEntry entry, CacheEntryOptions options)
    {
        if ((options.Tiers & CacheTiers.Memory) != 0)
        {
            _memory?.Set(key, value, entry.PayloadLength, entry.Ttl);
        }

        if (entry.Frame is null)
        {
            return;
        }

        foreach (var store in _stores)
        {
            if ((options.Tiers & store.Tier) != 0)
            {
                WriteFrameSync(store, key.StorageId, entry.Frame, entry.Ttl);
            }
        }
    }

    private async ValueTask WriteAsync<T>(CacheKey key, T value, PreparedEntry entry, CacheEntryOptions options, CancellationToken cancellationToken)
    {
        if ((options.Tiers & CacheTiers.Memory) != 0)
        {
            _memory?.Set(key, value, entry.PayloadLength, entry.Ttl);
        }

        if (entry.Frame is null)
        {
            return;
        }

        // Redis and the persistent tier are written concurrently; each is bounded by its own timeout.
        ValueTask<bool> first = default, second = default;
        for (var i = 0; i < _stores.Length; i++)
        {
            var store = _stores[i];
            if ((options.Tiers & store.Tier) == 0)
            {
                continue;
            }

            var write = store.SetAsync(key.StorageId, entry.Frame, entry.Ttl, cancellationToken);
            if (i == 0)
            {
                first = write;
            }
            else
            {
                second = write;
            }
        }

        await first.ConfigureAwait(false);
        await second.ConfigureAwait(false);
    }

    private void WriteFrameSync(GuardedStore store, string storageId, byte[] frame, TimeSpan ttl)
    {
        if (store.CanRunSynchronously)
        {
            store.Set(storageId, frame, ttl);
        }
        else
        {
            _backgroundWriter!.Enqueue(store, async s => await s.SetAsync(storageId, frame, ttl, CancellationToken.None).ConfigureAwait(false));
        }
    }

    private readonly record struct PreparedEntry(byte[]? Frame, int PayloadLength, TimeSpan Ttl);
}

/// <summary>A value given to <c>Set</c> cannot be serialized. Nothing was stored.</summary>
public sealed class CacheSerializationException(string message, Exception innerException) : Exception(message, innerException);
