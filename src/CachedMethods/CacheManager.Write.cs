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
    public void Set<T>(string key, T value, TimeSpan? ttl = null) => Set(CacheKey.FromString(key), value, WithPrefixTags(key, EntryOptions(ttl)));

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
            WriteSync(key, value, prepared);
        }
    }

    /// <summary>Stores <paramref name="value"/> in every enabled tier.</summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public ValueTask SetAsync<T>(string key, T value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        SetAsync(CacheKey.FromString(key), value, WithPrefixTags(key, EntryOptions(ttl)), cancellationToken);

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
        return entry is { } prepared ? WriteAsync(key, value, prepared, cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Removes <paramref name="key"/> from every tier; <see langword="true"/> when any tier held it.</summary>
    public bool Delete(string key) => Delete(CacheKey.FromString(key));

    /// <summary>Removes <paramref name="key"/> from every tier; <see langword="true"/> when any tier held it.</summary>
    public bool Delete(CacheKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var removed = _memory?.Remove(key) ?? false;
        PublishInBackground(new CoherenceMessage(CoherenceKind.Remove, key.Hash.ToString()));
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

        await PublishAsync(new CoherenceMessage(CoherenceKind.Remove, key.Hash.ToString())).ConfigureAwait(false);
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
            PublishInBackground(new CoherenceMessage(CoherenceKind.Clear, ""));
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

        if ((tiers & CacheTiers.Memory) != 0)
        {
            await PublishAsync(new CoherenceMessage(CoherenceKind.Clear, "")).ConfigureAwait(false);
        }

        return removed;
    }

    private CacheEntryOptions EntryOptions(TimeSpan? ttl) =>
        ttl is null ? _defaultEntryOptions : new CacheEntryOptions { Ttl = ttl };

    /// <summary>The entry's settings with the engine's defaults filled in.</summary>
    private EntryPolicy PolicyOf(CacheEntryOptions options) => new(
        options.Ttl ?? Options.DefaultTtl,
        options.FailSafeMaxStaleness ?? TimeSpan.FromSeconds(Options.FailSafeMaxStalenessSeconds),
        options.RefreshAheadFraction ?? Options.RefreshAheadFraction,
        options.SoftTimeout ?? TimeSpan.FromMilliseconds(Options.SoftTimeoutMs),
        options.HardTimeout ?? TimeSpan.FromMilliseconds(Options.HardTimeoutMs),
        (options.DistributedSingleFlight ?? Options.DistributedSingleFlight) && (options.Tiers & CacheTiers.Redis) != 0,
        options.Tags,
        options.Tiers);

    /// <summary>Serializes once for every tier; <see langword="null"/> when nothing should be stored.</summary>
    private PreparedEntry? Prepare<T>(CacheKey key, T value, CacheEntryOptions options, bool throwIfUnserializable)
    {
        var policy = PolicyOf(options);
        if (policy.Ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), policy.Ttl, "A cache TTL must be positive.");
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
        var frame = needsFrame
            ? Envelope.Create(key.Digest, buffer.WrittenSpan, now, now + policy.Ttl, now + policy.Ttl + policy.Retain, policy.Tags, ValueTypeName<T>.Utf8)
            : null;
        return new PreparedEntry(frame, buffer.WrittenCount, policy);
    }

    private void WriteSync<T>(CacheKey key, T value, PreparedEntry entry)
    {
        WriteMemory(key, value, entry);
        PublishInBackground(new CoherenceMessage(CoherenceKind.Remove, key.Hash.ToString()));
        if (entry.Frame is null)
        {
            return;
        }

        foreach (var store in _stores)
        {
            if ((entry.Policy.Tiers & store.Tier) != 0 && Admits(store, entry.PayloadLength))
            {
                WriteFrameSync(store, key.StorageId, entry.Frame, entry.Policy.Ttl + entry.Policy.Retain);
            }
        }
    }

    private async ValueTask WriteAsync<T>(CacheKey key, T value, PreparedEntry entry, CancellationToken cancellationToken)
    {
        WriteMemory(key, value, entry);
        if (entry.Frame is not null)
        {
            // Redis and the persistent tier are written concurrently; each is bounded by its own timeout.
            ValueTask<bool> first = default, second = default;
            for (var i = 0; i < _stores.Length; i++)
            {
                var store = _stores[i];
                if ((entry.Policy.Tiers & store.Tier) == 0 || !Admits(store, entry.PayloadLength))
                {
                    continue;
                }

                var write = store.SetAsync(key.StorageId, entry.Frame, entry.Policy.Ttl + entry.Policy.Retain, cancellationToken);
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

        await PublishAsync(new CoherenceMessage(CoherenceKind.Remove, key.Hash.ToString())).ConfigureAwait(false);
    }

    private void WriteMemory<T>(CacheKey key, T value, PreparedEntry entry)
    {
        if (_memory is null || (entry.Policy.Tiers & CacheTiers.Memory) == 0)
        {
            return;
        }

        if (entry.PayloadLength > Options.MaxMemoryEntryBytes)
        {
            _memoryCounters.Skip();
            _memory.Remove(key);
            return;
        }

        var refreshAfter = entry.Policy.RefreshFraction is > 0 and < 1 ? entry.Policy.Ttl * entry.Policy.RefreshFraction : (TimeSpan?)null;
        _memory.Set(key, value, entry.PayloadLength, entry.Policy.Ttl, entry.Policy.Retain, refreshAfter, entry.Policy.Tags);
    }

    /// <summary>Admission by size: a value over a store's limit skips that store, and the skip is counted.</summary>
    private bool Admits(GuardedStore store, int payloadLength)
    {
        if (store.Tier == CacheTiers.Redis && payloadLength > Options.MaxRedisEntryBytes)
        {
            store.Counters.Skip();
            return false;
        }

        return true;
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

    private readonly record struct PreparedEntry(byte[]? Frame, int PayloadLength, EntryPolicy Policy);

    private readonly record struct EntryPolicy(
        TimeSpan Ttl,
        TimeSpan Retain,
        double RefreshFraction,
        TimeSpan SoftTimeout,
        TimeSpan HardTimeout,
        bool Distributed,
        IReadOnlyList<string>? Tags,
        CacheTiers Tiers);
}

/// <summary>A value given to <c>Set</c> cannot be serialized. Nothing was stored.</summary>
public sealed class CacheSerializationException(string message, Exception innerException) : Exception(message, innerException);
