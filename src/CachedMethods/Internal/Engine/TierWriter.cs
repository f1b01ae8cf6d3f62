using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// Writes, deletes and clears across the tiers. Each operation runs its steps in one order for both
/// forms: memory first, then every store below it (concurrently when asynchronous), then the coherence
/// message, so that another process that hears it reads the new state, not the old one.
/// </summary>
internal sealed class TierWriter(TierSet tiers, IFleetCoordinator fleet, ICacheSerializer serializer, TimeProvider time, ILogger logger)
{
    /// <summary>The memory size counted for a value that cannot be serialized when less was written before the failure.</summary>
    private const int UnserializableSizeFloor = 1024;

    /// <summary>Types already logged as unserializable: one log line per type, not one per call.</summary>
    private readonly ConcurrentDictionary<Type, byte> _unserializable = new();

    /// <summary>
    /// Serializes once for every tier. A value that cannot be serialized (no formatter, a derived type, a delegate)
    /// is kept in memory only, sized by the bytes written before the failure (at least 1 KiB), and logged once per
    /// type: it is never silently "cached nowhere" (issue 10).
    /// </summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized and <paramref name="throwIfUnserializable"/> is set.</exception>
    public PreparedEntry? Prepare<T>(CacheKey key, T value, in EntryPolicy policy, bool throwIfUnserializable)
    {
        if (policy.Ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy.Ttl, "A cache TTL must be positive.");
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            serializer.Serialize(buffer, value);
        }
        catch (Exception ex)
        {
            var type = typeof(T).FullName ?? typeof(T).Name;
            if (throwIfUnserializable)
            {
                throw new CacheSerializationException($"A value of type {type} cannot be serialized for the cache; nothing was stored. {ex.Message}", ex);
            }

            if (_unserializable.TryAdd(typeof(T), 0))
            {
                Log.NotSerializable(logger, type, ex);
            }

            return new PreparedEntry(null, Math.Max(buffer.WrittenCount, UnserializableSizeFloor), policy);
        }

        byte[]? frame = null;
        if (tiers.Stores.Length > 0 && (policy.Tiers & (CacheTiers.Redis | CacheTiers.Persistent)) != 0)
        {
            var now = time.GetUtcNow();
            frame = Envelope.Create(key.Digest, buffer.WrittenSpan, now, now + policy.Ttl, now + policy.StoreTtl, policy.Tags, ValueTypeName<T>.Utf8);
        }

        return new PreparedEntry(frame, buffer.WrittenCount, policy);
    }

    public void Write<T>(CacheKey key, T value, in PreparedEntry entry)
    {
        WriteMemory(key, value, entry);
        if (entry.Frame is not null)
        {
            WriteFrames(key, entry.Frame, entry.Policy.StoreTtl, entry.Policy.Tiers, tiers.Stores.Length);
        }

        fleet.PublishInBackground(CoherenceMessage.Removed(key));
    }

    public async ValueTask WriteAsync<T>(CacheKey key, T value, PreparedEntry entry, CancellationToken cancellationToken)
    {
        WriteMemory(key, value, entry);
        if (entry.Frame is not null)
        {
            await WriteFramesAsync(key, entry.Frame, entry.Policy.StoreTtl, entry.Policy.Tiers, tiers.Stores.Length, cancellationToken).ConfigureAwait(false);
        }

        await fleet.PublishAsync(CoherenceMessage.Removed(key)).ConfigureAwait(false);
    }

    /// <summary>Writes a frame to the admitting stores above <paramref name="end"/>; a store without synchronous I/O gets it through the background queue.</summary>
    public void WriteFrames(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, int end)
    {
        for (var i = 0; i < end; i++)
        {
            var store = tiers.Stores[i];
            if ((allowed & store.Tier) == 0)
            {
                continue;
            }

            var id = key.StorageId;
            if (!tiers.Admits(store, allowed, frame.Length))
            {
                // Too large for this store: an older, smaller value must not outlive this write there.
                if (store.CanRunSynchronously)
                {
                    store.DeleteOrUnsettle(id);
                }
                else
                {
                    tiers.BackgroundWriter!.Enqueue(store, s => IgnoreResult(s.DeleteOrUnsettleAsync(id, CancellationToken.None)));
                }
            }
            else if (store.CanRunSynchronously)
            {
                if (!store.Set(id, frame, ttl))
                {
                    store.Unsettle(id);
                }
            }
            else
            {
                tiers.BackgroundWriter!.Enqueue(store, s => SetOrUnsettleAsync(s, id, frame, ttl));
            }
        }
    }

    /// <summary>Writes a frame to the admitting stores above <paramref name="end"/>, all at once, and awaits them all.</summary>
    public ValueTask WriteFramesAsync(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, int end, CancellationToken cancellationToken)
    {
        ValueTask<bool>[]? pending = null;
        for (var i = 0; i < end; i++)
        {
            var store = tiers.Stores[i];
            if ((allowed & store.Tier) == 0)
            {
                continue;
            }

            // A store too small for the value gets a delete instead: its older value must not shadow this one.
            var write = tiers.Admits(store, allowed, frame.Length)
                ? store.SetAsync(key.StorageId, frame, ttl, cancellationToken)
                : store.DeleteOrUnsettleAsync(key.StorageId, cancellationToken) is var delete && delete.IsCompletedSuccessfully
                    ? new ValueTask<bool>(true)
                    : AlwaysTrue(delete);
            if (!write.IsCompletedSuccessfully)
            {
                if (pending is null)
                {
                    pending = new ValueTask<bool>[end];
                    Array.Fill(pending, new ValueTask<bool>(true));
                }

                pending[i] = write;
            }
            else if (!write.Result)
            {
                store.Unsettle(key.StorageId);
            }
        }

        return pending is null ? ValueTask.CompletedTask : AwaitAll(pending, key);
    }

    private static async ValueTask<bool> AlwaysTrue(ValueTask<bool> pending)
    {
        await pending.ConfigureAwait(false);
        return true;
    }

    private static async ValueTask SetOrUnsettleAsync(GuardedStore store, string storageId, byte[] frame, TimeSpan ttl)
    {
        if (!await store.SetAsync(storageId, frame, ttl, CancellationToken.None).ConfigureAwait(false))
        {
            store.Unsettle(storageId);
        }
    }

    public bool Delete(CacheKey key)
    {
        var removed = tiers.Memory?.Remove(key) ?? false;
        foreach (var store in tiers.Stores)
        {
            if (store.CanRunSynchronously)
            {
                removed |= store.DeleteOrUnsettle(key.StorageId);
            }
            else
            {
                var id = key.StorageId;
                tiers.BackgroundWriter!.Enqueue(store, s => IgnoreResult(s.DeleteOrUnsettleAsync(id, CancellationToken.None)));
            }
        }

        fleet.PublishInBackground(CoherenceMessage.Removed(key));
        return removed;
    }

    public async ValueTask<bool> DeleteAsync(CacheKey key, CancellationToken cancellationToken)
    {
        var removed = tiers.Memory?.Remove(key) ?? false;
        foreach (var store in tiers.Stores)
        {
            removed |= await store.DeleteOrUnsettleAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
        }

        await fleet.PublishAsync(CoherenceMessage.Removed(key)).ConfigureAwait(false);
        return removed;
    }

    public long Clear(CacheTiers which)
    {
        var removed = ClearMemory(which);
        foreach (var store in tiers.Stores)
        {
            if ((which & store.Tier) == 0)
            {
                continue;
            }

            if (store.CanRunSynchronously)
            {
                removed += store.ClearOrUnsettle();
            }
            else
            {
                tiers.BackgroundWriter!.Enqueue(store, static s => IgnoreResult(s.ClearOrUnsettleAsync(CancellationToken.None)));
            }
        }

        if ((which & CacheTiers.Memory) != 0)
        {
            fleet.PublishInBackground(new CoherenceMessage(CoherenceKind.Clear, ""));
        }

        return removed;
    }

    public async ValueTask<long> ClearAsync(CacheTiers which, CancellationToken cancellationToken)
    {
        var removed = ClearMemory(which);
        foreach (var store in tiers.Stores)
        {
            if ((which & store.Tier) != 0)
            {
                removed += await store.ClearOrUnsettleAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if ((which & CacheTiers.Memory) != 0)
        {
            await fleet.PublishAsync(new CoherenceMessage(CoherenceKind.Clear, "")).ConfigureAwait(false);
        }

        return removed;
    }

    private long ClearMemory(CacheTiers which) =>
        (which & CacheTiers.Memory) != 0 && tiers.Memory is { } memory ? memory.Clear() : 0;

    private void WriteMemory<T>(CacheKey key, T value, in PreparedEntry entry)
    {
        var policy = entry.Policy;
        if (tiers.MemoryFor(policy.Tiers, MemoryCacheStore.EntrySize(key, entry.PayloadLength, policy.Tags)) is { } memory)
        {
            memory.Set(key, value, entry.PayloadLength, policy.Ttl, policy.Retain, policy.RefreshAfter, policy.Tags);
        }
        else if (policy.UsesMemory)
        {
            // Too large for memory: an older, smaller value must not outlive this write there.
            tiers.Memory?.Remove(key);
        }
    }

    private async ValueTask AwaitAll(ValueTask<bool>[] pending, CacheKey key)
    {
        for (var i = 0; i < pending.Length; i++)
        {
            if (!await pending[i].ConfigureAwait(false) && i < tiers.Stores.Length)
            {
                // Not taken (down, circuit open, timed out, full): the store may keep an older value.
                tiers.Stores[i].Unsettle(key.StorageId);
            }
        }
    }

    private static async ValueTask IgnoreResult<TResult>(ValueTask<TResult> pending) => await pending.ConfigureAwait(false);
}

/// <summary>A value serialized once for every tier: the frame for the stores (if any) and the payload's length.</summary>
internal readonly record struct PreparedEntry(byte[]? Frame, int PayloadLength, EntryPolicy Policy);
