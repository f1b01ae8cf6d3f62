namespace CachedMethods.Internal;

// Redis writes through the fleet's commit (issue 9): checked against the key's removal record and lock
// in the same round trip, before memory and the persistent store are written.
internal sealed partial class TierWriter
{
    /// <summary>
    /// Writes a frame to Redis through the fleet's commit; <see langword="false"/> when refused. Redis not
    /// answering is no refusal: the write goes on locally and Redis is settled (the key deleted) later.
    /// </summary>
    public async ValueTask<bool> CommitAsync(CacheKey key, byte[] frame, int payloadLength, TimeSpan ttl, CacheTiers allowed, long startedAt, string? lockToken, CancellationToken cancellationToken)
    {
        if (BelowCommit == 0 || (allowed & CacheTiers.Redis) == 0)
        {
            return true;
        }

        var redis = tiers.Redis!;
        if (!tiers.Admits(redis, allowed, payloadLength))
        {
            await redis.DeleteOrUnsettleAsync(key.StorageId, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return Settle(key, await fleet.CommitAsync(key.StorageId, frame, ttl, startedAt, lockToken, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc cref="CommitAsync"/>
    public bool Commit(CacheKey key, byte[] frame, int payloadLength, TimeSpan ttl, CacheTiers allowed, long startedAt, string? lockToken)
    {
        if (BelowCommit == 0 || (allowed & CacheTiers.Redis) == 0)
        {
            return true;
        }

        var redis = tiers.Redis!;
        if (!tiers.Admits(redis, allowed, payloadLength))
        {
            redis.DeleteOrUnsettle(key.StorageId);
            return true;
        }

        return Settle(key, fleet.Commit(key.StorageId, frame, ttl, startedAt, lockToken));
    }

    private bool Settle(CacheKey key, CommitOutcome outcome)
    {
        switch (outcome)
        {
            case CommitOutcome.Stored:
                return true;
            case CommitOutcome.Superseded or CommitOutcome.Fenced:
                Log.CommitRefused(logger, key.StorageId, outcome.ToString().ToLowerInvariant());
                return false;
            default:
                tiers.Redis!.Unsettle(key.StorageId);
                return true;
        }
    }

    private void NoteStoreTtl(TimeSpan ttl)
    {
        var known = Volatile.Read(ref _longestStoreTtlTicks);
        while (ttl.Ticks > known)
        {
            var seen = Interlocked.CompareExchange(ref _longestStoreTtlTicks, ttl.Ticks, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }
}
