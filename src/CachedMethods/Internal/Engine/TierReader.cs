using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// Reads a key from the stores below memory, top down, and promotes a hit to every tier above it.
/// The decisions (which store to ask, what a frame means, when an entry is stale, invalidated or
/// damaged, what to promote and for how long) are made here once; <see cref="Read{T}"/> and
/// <see cref="ReadAsync{T}"/> differ only in their I/O calls.
/// </summary>
internal sealed class TierReader(TierSet tiers, TierWriter writer, IFleetCoordinator fleet, ICacheSerializer serializer, TimeProvider time, ILogger logger)
{
    /// <summary>The synchronous read: stores without synchronous I/O are skipped, tag times are the ones known here.</summary>
    public LowerRead<T> Read<T>(CacheKey key, CacheTiers allowed, double refreshFraction = 0)
    {
        // Taken before anything is read: a change to the key from here on keeps what this read finds out of memory.
        var stamp = tiers.Memory?.ChangeStamp(key.Hash) ?? 0;
        var read = default(LowerRead<T>);
        for (var i = 0; i < tiers.Stores.Length; i++)
        {
            var store = tiers.Stores[i];
            if (!ShouldRead(store, key, allowed, synchronous: true))
            {
                continue;
            }

            using var activity = CacheTracing.StartTierRead(store.Name);
            var found = Open<T>(store, key, store.Get(key.StorageId));
            if (found.Status is FrameStatus.Fresh or FrameStatus.Stale && IsRemoved(store, found.Content, () => fleet.RemovedAt(key.StorageId)))
            {
                found = Removed(store, key, found);
            }

            var step = Settle(store, ref found, fleet.Tags.IsInvalidated(found.Content), refreshFraction, ref read);
            CacheTracing.End(activity, OutcomeOf(found.Status));
            if (step == ReadStep.Promote && RemainingTtl(found) is { } ttl)
            {
                // Redis first, through the commit: a copy the fleet removed meanwhile, or one Redis holds another
                // value for, is not promoted anywhere (and not served: it may be older than that value).
                if (i > 0 && !TierWriter.IsAccepted(writer.Promote(key, found.Frame!, ttl, allowed, found.Content.CreatedAt.ToUnixTimeMilliseconds())))
                {
                    store.Delete(key.StorageId);
                    read = default;
                    continue;
                }

                PromoteToMemory(key, stamp, found, allowed, refreshFraction);
                writer.WriteFrames(key, found.Frame!, ttl, allowed, writer.BelowCommit, i);
            }
            else if (step == ReadStep.Delete)
            {
                store.Delete(key.StorageId);
            }

            if (read.Found)
            {
                break;
            }
        }

        return read;
    }

    /// <summary>The asynchronous read: every store, and tag times not known here are asked of the fleet.</summary>
    public async ValueTask<LowerRead<T>> ReadAsync<T>(CacheKey key, CacheTiers allowed, double refreshFraction, CancellationToken cancellationToken)
    {
        var stamp = tiers.Memory?.ChangeStamp(key.Hash) ?? 0;
        var read = default(LowerRead<T>);
        for (var i = 0; i < tiers.Stores.Length; i++)
        {
            var store = tiers.Stores[i];
            if (!ShouldRead(store, key, allowed, synchronous: false))
            {
                continue;
            }

            using var activity = CacheTracing.StartTierRead(store.Name);
            var found = Open<T>(store, key, await store.GetAsync(key.StorageId, cancellationToken).ConfigureAwait(false));
            if (found.Status is FrameStatus.Fresh or FrameStatus.Stale && await IsRemovedAsync(store, key, found.Content, cancellationToken).ConfigureAwait(false))
            {
                found = Removed(store, key, found);
            }

            var invalidated = found.Status == FrameStatus.Fresh && await fleet.IsInvalidatedAsync(found.Content, cancellationToken).ConfigureAwait(false);
            var step = Settle(store, ref found, invalidated, refreshFraction, ref read);
            CacheTracing.End(activity, OutcomeOf(found.Status));
            if (step == ReadStep.Promote && RemainingTtl(found) is { } ttl)
            {
                // Redis first, through the commit: a copy the fleet removed meanwhile, or one Redis holds another
                // value for, is not promoted anywhere (and not served: it may be older than that value).
                if (i > 0 && !TierWriter.IsAccepted(await writer.PromoteAsync(key, found.Frame!, ttl, allowed, found.Content.CreatedAt.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false)))
                {
                    await store.DeleteAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
                    read = default;
                    continue;
                }

                PromoteToMemory(key, stamp, found, allowed, refreshFraction);
                await writer.WriteFramesAsync(key, found.Frame!, ttl, allowed, writer.BelowCommit, i, cancellationToken).ConfigureAwait(false);
            }
            else if (step == ReadStep.Delete)
            {
                await store.DeleteAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
            }

            if (read.Found)
            {
                break;
            }
        }

        return read;
    }

    /// <summary>The outcome tag of a tier-read span: hit, miss, stale (kept for fail-safe) or invalid (damaged or invalidated, deleted).</summary>
    private static string OutcomeOf(FrameStatus status) => status switch
    {
        FrameStatus.Fresh => "hit",
        FrameStatus.Stale => "stale",
        FrameStatus.Damaged => "invalid",
        _ => "miss",
    };

    private static bool ShouldRead(GuardedStore store, CacheKey key, CacheTiers allowed, bool synchronous) =>
        (allowed & store.Tier) != 0 && (!synchronous || store.CanRunSynchronously)
        // The store missed this key's last write and may hold an older value: not to be served.
        && !store.Unsettled.Contains(key.StorageId);

    /// <summary>Checks a frame read from <paramref name="store"/> and deserializes it.</summary>
    private FoundFrame<T> Open<T>(GuardedStore store, CacheKey key, byte[]? frame)
    {
        if (frame is null)
        {
            return default;
        }

        var status = Envelope.TryRead(frame, key.Digest, time.GetUtcNow(), out var content, tiers.SigningKey);
        if (status == EnvelopeStatus.Expired)
        {
            // A miss. Deleted only from this process's own disk, which has no expiry of its own; in a shared store
            // (Redis, S3) it is left to the store: this machine's clock may run ahead of the writer's, and an entry
            // still valid for the rest of the fleet is not this process's to delete.
            return store.Store is DiskCacheStore ? new FoundFrame<T>(FrameStatus.Damaged, default!, frame, content) : default;
        }

        if (status != EnvelopeStatus.Valid)
        {
            Log.BadEntry(logger, key.StorageId, store.Name, status.ToString().ToLowerInvariant());
            return new FoundFrame<T>(FrameStatus.Damaged, default!, frame, content);
        }

        if (!content.ValueType.Span.SequenceEqual(ValueTypeName<T>.Utf8))
        {
            // Written as another type under the same key: not ours to read, nor to delete.
            Log.OtherType(logger, key.StorageId, store.Name, System.Text.Encoding.UTF8.GetString(content.ValueType.Span), typeof(T).ToString());
            return default;
        }

        try
        {
            var value = serializer.Deserialize<T>(content.Payload);
            return new FoundFrame<T>(content.IsStale ? FrameStatus.Stale : FrameStatus.Fresh, value, frame, content);
        }
        catch (Exception ex)
        {
            // Bytes another version or another type wrote: a miss, and the entry is replaced.
            Log.UnreadableEntry(logger, key.StorageId, store.Name, typeof(T).FullName ?? typeof(T).Name, ex);
            return new FoundFrame<T>(FrameStatus.Damaged, default!, frame, content);
        }
    }

    /// <summary>
    /// Counts the read and decides: a fresh entry is the answer (and is promoted); a fresh entry whose tag
    /// was invalidated after it was written, and a damaged one, are misses to delete; a stale one is kept
    /// as the fail-safe fallback while the read goes on.
    /// </summary>
    private ReadStep Settle<T>(GuardedStore store, ref FoundFrame<T> found, bool invalidated, double refreshFraction, ref LowerRead<T> read)
    {
        if (found.Status == FrameStatus.Fresh && invalidated)
        {
            found = found with { Status = FrameStatus.Damaged };
        }

        if (found.Status == FrameStatus.Fresh)
        {
            store.Counters.Hit();
            read = LowerRead<T>.Hit(found.Value, IsDueForRefresh(found.Content, refreshFraction));
            return ReadStep.Promote;
        }

        store.Counters.Miss();
        if (found.Status == FrameStatus.Stale && !read.HasStale)
        {
            read = LowerRead<T>.StaleOnly(found.Value);
        }

        return found.Status == FrameStatus.Damaged ? ReadStep.Delete : ReadStep.Next;
    }

    /// <summary>How long the stores above keep a hit (<see langword="null"/>: expired meanwhile).</summary>
    private TimeSpan? RemainingTtl<T>(in FoundFrame<T> found)
    {
        var now = time.GetUtcNow();
        return found.Content.ExpiresAt - now <= TimeSpan.Zero ? null : found.Content.RetainUntil - now;
    }

    /// <summary>
    /// Puts a hit in memory with its remaining TTL and its refresh point (issue 9, case 2): every process
    /// that holds a copy refreshes it, once per fleet through the key's lock, not only the one that computed it.
    /// </summary>
    private void PromoteToMemory<T>(CacheKey key, long stamp, in FoundFrame<T> found, CacheTiers allowed, double refreshFraction)
    {
        var content = found.Content;
        var now = time.GetUtcNow();
        TimeSpan? refreshAfter = refreshFraction is > 0 and < 1
            ? TimeSpan.FromTicks(Math.Max(0, (content.CreatedAt + (content.ExpiresAt - content.CreatedAt) * refreshFraction - now).Ticks))
            : null;
        tiers.MemoryFor(allowed, MemoryCacheStore.EntrySize(key, content.Payload.Length, content.Tags))?.Promote(
            key, stamp, found.Value, content.Payload.Length, content.ExpiresAt - now, content.RetainUntil - content.ExpiresAt, refreshAfter, content.Tags.Count == 0 ? null : content.Tags);
    }

    /// <summary>
    /// Whether a copy is void: created at or before the clear horizon, or (below Redis, whose copies
    /// passed the commit's check) at or before the key's removal record. Unknown (Redis not answering) is not void.
    /// </summary>
    private bool IsRemoved(GuardedStore store, in EnvelopeContent content, Func<long> removedAt)
    {
        var created = content.CreatedAt.ToUnixTimeMilliseconds();
        return created <= fleet.Horizon || (store.Tier != CacheTiers.Redis && fleet.CommitsWrites && created <= removedAt());
    }

    private async ValueTask<bool> IsRemovedAsync(GuardedStore store, CacheKey key, EnvelopeContent content, CancellationToken cancellationToken)
    {
        var created = content.CreatedAt.ToUnixTimeMilliseconds();
        return created <= fleet.Horizon
            || (store.Tier != CacheTiers.Redis && fleet.CommitsWrites && created <= await fleet.RemovedAtAsync(key.StorageId, cancellationToken).ConfigureAwait(false));
    }

    private FoundFrame<T> Removed<T>(GuardedStore store, CacheKey key, in FoundFrame<T> found)
    {
        Log.RemovedEntry(logger, key.StorageId, store.Name);
        return found with { Status = FrameStatus.Damaged };
    }

    private bool IsDueForRefresh(in EnvelopeContent content, double fraction) =>
        fraction is > 0 and < 1 && time.GetUtcNow() - content.CreatedAt >= (content.ExpiresAt - content.CreatedAt) * fraction;

    private enum FrameStatus
    {
        Missing,
        Fresh,
        Stale,
        Damaged,
    }

    private enum ReadStep
    {
        Next,
        Promote,
        Delete,
    }

    private readonly record struct FoundFrame<T>(FrameStatus Status, T Value, byte[]? Frame, EnvelopeContent Content);
}

/// <summary>What the tiers below memory gave: a fresh value, or only a stale one kept for fail-safe.</summary>
internal readonly record struct LowerRead<T>(bool Found, T Value, bool HasStale, bool RefreshDue)
{
    public static LowerRead<T> Hit(T value, bool refreshDue) => new(true, value, false, refreshDue);

    public static LowerRead<T> StaleOnly(T value) => new(false, value, true, false);
}
