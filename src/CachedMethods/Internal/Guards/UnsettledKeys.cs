using System.Collections.Concurrent;

namespace CachedMethods.Internal;

/// <summary>
/// The keys whose newest write a store could not take (down, circuit open, timed out, full, too large), so
/// that the store may still hold an older value. Until each key is settled (deleted from the store once it
/// answers again) this process reads that key as a miss there, so no acknowledged write is ever shadowed by
/// the older value (issue 14, item 1; docs/reliability.md).
/// </summary>
/// <remarks>
/// Bounded: past <see cref="Capacity"/> keys the whole store counts as unsettled, every read of it is a miss,
/// and settling clears the store (only its own prefix or folder) instead of deleting key by key. Each record
/// carries a sequence number, so a settle that raced with a newer failure of the same key leaves it recorded.
/// </remarks>
internal sealed class UnsettledKeys
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, long> _keys = new(StringComparer.Ordinal);
    private long _sequence;
    private long _overflowedAt;
    private int _count;

    /// <summary>Whether nothing waits: the read path's only cost while the store is healthy.</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0 && Volatile.Read(ref _overflowedAt) == 0;

    public int Count => Volatile.Read(ref _count);

    public bool Overflowed => Volatile.Read(ref _overflowedAt) != 0;

    /// <summary>Whether the store may hold an older value of <paramref name="storageId"/> than the last write.</summary>
    public bool Contains(string storageId) => !IsEmpty && (Overflowed || _keys.ContainsKey(storageId));

    /// <summary>Records a write the store did not take.</summary>
    public void Record(string storageId)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        if (_keys.Count >= Capacity && !_keys.ContainsKey(storageId))
        {
            RecordAll();
            return;
        }

        _keys.AddOrUpdate(storageId, sequence, (_, _) => sequence);
        Volatile.Write(ref _count, _keys.Count);
    }

    /// <summary>Records that any key may be stale there: a clear, or more keys than the bound, failed.</summary>
    public void RecordAll() => Interlocked.CompareExchange(ref _overflowedAt, Interlocked.Increment(ref _sequence), 0);

    /// <summary>
    /// Deletes every recorded key from the store, or clears it after an overflow, through the store's guard.
    /// <see langword="true"/> when nothing is left; <see langword="false"/> when the store still fails.
    /// </summary>
    public async ValueTask<bool> SettleAsync(GuardedStore store, CancellationToken cancellationToken)
    {
        if (Overflowed)
        {
            var before = Interlocked.Read(ref _sequence);
            if (await store.ClearForSettleAsync(cancellationToken).ConfigureAwait(false) < 0)
            {
                return false;
            }

            // Everything recorded before the clear started is gone with it.
            foreach (var (id, sequence) in _keys)
            {
                if (sequence <= before)
                {
                    _keys.TryRemove(new KeyValuePair<string, long>(id, sequence));
                }
            }

            var at = Volatile.Read(ref _overflowedAt);
            if (at <= before)
            {
                Interlocked.CompareExchange(ref _overflowedAt, 0, at);
            }

            Volatile.Write(ref _count, _keys.Count);
        }

        foreach (var (id, sequence) in _keys)
        {
            if (!await store.DeleteForSettleAsync(id, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            _keys.TryRemove(new KeyValuePair<string, long>(id, sequence));
            Volatile.Write(ref _count, _keys.Count);
        }

        return IsEmpty;
    }
}
