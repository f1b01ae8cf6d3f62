namespace CachedMethods.Internal;

// Redis writes through the fleet's commit (issue 9): checked against the key's removal record and lock
// in the same round trip, before memory and the persistent store are written.
internal sealed partial class TierWriter
{
    /// <summary>Whether the rest of a write may go on: Redis took it, or did not answer (local only).</summary>
    public static bool IsAccepted(CommitOutcome outcome) => outcome is not (CommitOutcome.Superseded or CommitOutcome.Fenced or CommitOutcome.Held);

    /// <summary>
    /// Writes a frame to Redis through the fleet's commit; <see cref="CommitOutcome.Superseded"/> or
    /// <see cref="CommitOutcome.Fenced"/> when refused. Redis not answering is no refusal (<see cref="CommitOutcome.Stored"/>):
    /// the write goes on locally and Redis is settled (the key deleted) later.
    /// </summary>
    public ValueTask<CommitOutcome> CommitAsync(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, long startedAt, string? lockToken, CancellationToken cancellationToken) =>
        CommitAsync(key, frame, ttl, allowed, startedAt, lockToken, onlyIfAbsent: false, cancellationToken);

    /// <summary>
    /// Commits a copy read from a lower tier: it fills Redis only where Redis holds no value or this very frame
    /// (<see cref="CommitOutcome.Held"/> otherwise). The copy may be older than the value there, which this
    /// process did not read (its Redis read failed, or the key is unsettled here), and must not replace it.
    /// </summary>
    public ValueTask<CommitOutcome> PromoteAsync(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, long createdAt, CancellationToken cancellationToken) =>
        CommitAsync(key, frame, ttl, allowed, createdAt, lockToken: null, onlyIfAbsent: true, cancellationToken);

    /// <inheritdoc cref="PromoteAsync"/>
    public CommitOutcome Promote(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, long createdAt) =>
        Commit(key, frame, ttl, allowed, createdAt, lockToken: null, onlyIfAbsent: true);

    private async ValueTask<CommitOutcome> CommitAsync(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, long startedAt, string? lockToken, bool onlyIfAbsent, CancellationToken cancellationToken)
    {
        if (BelowCommit == 0 || (allowed & CacheTiers.Redis) == 0)
        {
            return CommitOutcome.Stored;
        }

        var redis = tiers.Redis!;
        if (!tiers.Admits(redis, allowed, frame.Length))
        {
            await redis.DeleteOrUnsettleAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
            return CommitOutcome.Stored;
        }

        return Settle(key, await fleet.CommitAsync(key.StorageId, frame, ttl, startedAt, lockToken, onlyIfAbsent, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc cref="CommitAsync(CacheKey, byte[], TimeSpan, CacheTiers, long, string?, CancellationToken)"/>
    public CommitOutcome Commit(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, long startedAt, string? lockToken) =>
        Commit(key, frame, ttl, allowed, startedAt, lockToken, onlyIfAbsent: false);

    private CommitOutcome Commit(CacheKey key, byte[] frame, TimeSpan ttl, CacheTiers allowed, long startedAt, string? lockToken, bool onlyIfAbsent)
    {
        if (BelowCommit == 0 || (allowed & CacheTiers.Redis) == 0)
        {
            return CommitOutcome.Stored;
        }

        var redis = tiers.Redis!;
        if (!tiers.Admits(redis, allowed, frame.Length))
        {
            redis.DeleteOrUnsettle(key.StorageId);
            return CommitOutcome.Stored;
        }

        return Settle(key, fleet.Commit(key.StorageId, frame, ttl, startedAt, lockToken, onlyIfAbsent));
    }

    private CommitOutcome Settle(CacheKey key, CommitOutcome outcome)
    {
        switch (outcome)
        {
            case CommitOutcome.Stored:
                return outcome;
            case CommitOutcome.Superseded or CommitOutcome.Fenced or CommitOutcome.Held:
                Log.CommitRefused(logger, key.StorageId, outcome.ToString().ToLowerInvariant());
                return outcome;
            default:
                // Local only: the other processes' copies of the key are voided once Redis answers.
                Unreached(key);
                return CommitOutcome.Stored;
        }
    }

    private void NoteStoreTtl(TimeSpan ttl) => AtomicMax.Raise(ref _longestStoreTtlTicks, ttl.Ticks);
}
