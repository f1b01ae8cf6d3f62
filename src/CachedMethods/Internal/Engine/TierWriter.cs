using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// Writes, deletes and clears across the tiers. Each operation runs its steps in one order for both
/// forms: memory first, then every store below it (concurrently when asynchronous), then the coherence
/// message, so that another process that hears it reads the new state, not the old one.
/// </summary>
/// <remarks>
/// With a shared store that commits (issue 9), a value reaches Redis through the fleet's commit, which
/// refuses it when the key was removed after the value's computation started or the writer lost the
/// key's lock; memory and the persistent store are written only after Redis took it (or while Redis does
/// not answer: then the write is local only). A delete records the key's removal in Redis.
/// </remarks>
internal sealed partial class TierWriter(TierSet tiers, IFleetCoordinator fleet, ICacheSerializer serializer, TimeProvider time, ILogger logger, TimeSpan defaultStoreTtl)
{
    /// <summary>The memory size counted for a value that cannot be serialized when less was written before the failure.</summary>
    private const int UnserializableSizeFloor = 1024;

    /// <summary>Types already logged as unserializable: one log line per type, not one per call.</summary>
    private readonly ConcurrentDictionary<Type, byte> _unserializable = new();

    /// <summary>A clear of both the shared and the persistent tiers moves the horizon; a narrower clear leaves other copies alone, as asked.</summary>
    private const CacheTiers FleetClear = CacheTiers.Redis | CacheTiers.Persistent;

    /// <summary>The longest store TTL written here: a removal record lives at least that long.</summary>
    private long _longestStoreTtlTicks = defaultStoreTtl.Ticks;

    /// <summary>The first store that a commit does not cover: Redis (the first store) is written by the commit.</summary>
    public int BelowCommit => tiers.Redis is not null && fleet.CommitsWrites ? 1 : 0;

    /// <summary>How long a removal record must live to outlast every copy it could shadow.</summary>
    private TimeSpan RemovalLifetime => TimeSpan.FromTicks(Volatile.Read(ref _longestStoreTtlTicks));

    /// <summary>The fleet's time now (unix ms): the stamp of a write, and of a computation's start.</summary>
    public long Now() => fleet.Clock.Now();

    /// <summary>
    /// Serializes once for every tier. A value that cannot be serialized (no formatter, a derived type, a delegate)
    /// is kept in memory only, sized by the bytes written before the failure (at least 1 KiB), and logged once per
    /// type: it is never silently "cached nowhere" (issue 10).
    /// </summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized and <paramref name="throwIfUnserializable"/> is set.</exception>
    public PreparedEntry? Prepare<T>(CacheKey key, T value, in EntryPolicy policy, bool throwIfUnserializable, long startedAt = 0)
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
            // Created when its computation started, on the fleet clock: an invalidation it overlapped voids it.
            var now = time.GetUtcNow();
            var created = DateTimeOffset.FromUnixTimeMilliseconds(startedAt > 0 ? startedAt : Now());
            frame = Envelope.Create(key.Digest, buffer.WrittenSpan, created, now + policy.Ttl, now + policy.StoreTtl, policy.Tags, ValueTypeName<T>.Utf8, tiers.SigningKey);
            NoteStoreTtl(policy.StoreTtl);
        }

        return new PreparedEntry(frame, buffer.WrittenCount, policy, startedAt);
    }

    /// <summary>Writes a value everywhere; <see langword="false"/> when the fleet refused it (removed since its computation started, or fenced) and nothing was written.</summary>
    public bool Write<T>(CacheKey key, T value, in PreparedEntry entry)
    {
        if (entry.Frame is not null && !IsAccepted(Commit(key, entry.Frame, entry.Policy.StoreTtl, entry.Policy.Tiers, entry.StartedAt, null)))
        {
            return false;
        }

        WriteMemory(key, value, entry);
        if (entry.Frame is not null)
        {
            WriteFrames(key, entry.Frame, entry.Policy.StoreTtl, entry.Policy.Tiers, BelowCommit, tiers.Stores.Length);
        }

        fleet.PublishInBackground(CoherenceMessage.Removed(key));
        return true;
    }

    /// <inheritdoc cref="Write{T}"/>
    public async ValueTask<bool> WriteAsync<T>(CacheKey key, T value, PreparedEntry entry, CancellationToken cancellationToken, string? lockToken = null)
    {
        var outcome = entry.Frame is null
            ? CommitOutcome.Stored
            : await CommitAsync(key, entry.Frame, entry.Policy.StoreTtl, entry.Policy.Tiers, entry.StartedAt, lockToken, cancellationToken).ConfigureAwait(false);
        if (outcome == CommitOutcome.Superseded)
        {
            return false;
        }

        WriteMemory(key, value, entry);
        if (outcome == CommitOutcome.Fenced)
        {
            // The lock was lost (a pause past its expiry): local only, never the fleet's value, nothing announced.
            return false;
        }

        if (entry.Frame is not null)
        {
            await WriteFramesAsync(key, entry.Frame, entry.Policy.StoreTtl, entry.Policy.Tiers, BelowCommit, tiers.Stores.Length, cancellationToken).ConfigureAwait(false);
        }

        await fleet.PublishAsync(CoherenceMessage.Removed(key)).ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes a frame to the admitting stores from <paramref name="start"/> to above <paramref name="end"/>; a store without synchronous I/O gets it through the background queue.</summary>
    public void WriteFrames(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, int start, int end)
    {
        for (var i = start; i < end; i++)
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

    /// <summary>Writes a frame to the admitting stores from <paramref name="start"/> to above <paramref name="end"/>, all at once, and awaits them all.</summary>
    public ValueTask WriteFramesAsync(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, int start, int end, CancellationToken cancellationToken)
    {
        ValueTask<bool>[]? pending = null;
        for (var i = start; i < end; i++)
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
        var first = 0;
        if (BelowCommit == 1)
        {
            // Deletes the Redis copy and records the removal in one step: a copy elsewhere older than it is void.
            var outcome = fleet.Remove(key.StorageId, RemovalLifetime);
            removed |= outcome > 0;
            if (outcome < 0)
            {
                Unreached(key);
            }

            first = 1;
        }

        foreach (var store in tiers.Stores.AsSpan(first))
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
        var first = 0;
        if (BelowCommit == 1)
        {
            var outcome = await fleet.RemoveAsync(key.StorageId, RemovalLifetime, cancellationToken).ConfigureAwait(false);
            removed |= outcome > 0;
            if (outcome < 0)
            {
                Unreached(key);
            }

            first = 1;
        }

        for (var i = first; i < tiers.Stores.Length; i++)
        {
            removed |= await tiers.Stores[i].DeleteOrUnsettleAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
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

        if ((which & FleetClear) == FleetClear)
        {
            // The horizon voids every copy created before now, in every tier of every process.
            fleet.AdvanceHorizon();
        }
        else if ((which & CacheTiers.Memory) != 0)
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

        if ((which & FleetClear) == FleetClear)
        {
            await fleet.AdvanceHorizonAsync(cancellationToken).ConfigureAwait(false);
        }
        else if ((which & CacheTiers.Memory) != 0)
        {
            await fleet.PublishAsync(new CoherenceMessage(CoherenceKind.Clear, "")).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>Redis did not take a removal or a write of <paramref name="key"/>: its copy is read as a miss here until settled, and the removal is owed to the fleet.</summary>
    private void Unreached(CacheKey key)
    {
        tiers.Redis!.Unsettle(key.StorageId);
        fleet.OweRemoval(key, RemovalLifetime);
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
/// <remarks><see cref="StartedAt"/> is when the value's computation started (fleet ms), 0 for a value set directly.</remarks>
internal readonly record struct PreparedEntry(byte[]? Frame, int PayloadLength, EntryPolicy Policy, long StartedAt = 0);
