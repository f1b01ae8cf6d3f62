namespace CachedMethods.Internal;

// Distributed single-flight: the per-key lock, its lease, and waiters bounded by their own call's timeouts.
internal sealed partial class RedisFleetCoordinator
{
    private static readonly TimeSpan ReleasePollInterval = TimeSpan.FromMilliseconds(250);

    public async ValueTask<LockAttempt> TryAcquireLockAsync(string storageId, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            var taken = await _guard.RunAsync((_coordinator, storageId, _lockExpiry), static async (s, ct) => (string?)(await s._coordinator.TryAcquireLockAsync(s.storageId, s._lockExpiry, ct).ConfigureAwait(false) ?? ""), null, "take lock", cancellationToken).ConfigureAwait(false);
            return taken switch
            {
                null => LockAttempt.Unavailable,
                "" => LockAttempt.HeldElsewhere,
                _ => new LockAttempt(LockOutcome.Acquired, taken),
            };
        }

        var token = Guid.NewGuid().ToString("N");
        var outcome = await _guard.RunAsync((_store, storageId, token, _lockExpiry), static async (s, ct) => await s._store.TryAcquireLockAsync(s.storageId, s.token, s._lockExpiry, ct).ConfigureAwait(false) ? 1 : 0, -1, "take lock", cancellationToken).ConfigureAwait(false);
        if (outcome < 0)
        {
            // The request may still reach Redis (a stall): release it by its token, queued behind it on the same
            // connection, so that no lock is left that nobody holds (issue 9, case 5).
            _ = ReleaseAbandonedAsync(storageId, token);
            return LockAttempt.Unavailable;
        }

        return outcome == 1 ? new LockAttempt(LockOutcome.Acquired, token) : LockAttempt.HeldElsewhere;
    }

    /// <summary>
    /// The process that takes the key's lock computes under a <see cref="FleetLease"/> whose token fences its
    /// write; the others wait for its release message (or a poll that sees the lock gone), then read its
    /// result, each within its own call's bounds: at its soft timeout a waiter with a stale value returns it,
    /// at its hard timeout it throws. A dead holder's lock expires and a waiter takes over; a failing Redis
    /// means computing here, and then waking the waiters.
    /// </summary>
    public async ValueTask<T> ComputeOnceAsync<TState, T>(MissWork<TState, T> work, CancellationToken cancellationToken)
    {
        var storageId = work.Key.StorageId;
        var started = _time.GetTimestamp();
        var deadline = _time.GetUtcNow() + _lockWait;
        var policy = work.Policy;
        var soft = work.Stale.HasStale && policy.Retain > TimeSpan.Zero && policy.SoftTimeout > TimeSpan.Zero ? policy.SoftTimeout : TimeSpan.MaxValue;
        var hard = policy.HardTimeout > TimeSpan.Zero ? policy.HardTimeout : TimeSpan.MaxValue;
        var tookOver = false;
        while (true)
        {
            var attempt = await TryAcquireLockAsync(storageId, cancellationToken).ConfigureAwait(false);
            if (attempt.Outcome == LockOutcome.Unavailable)
            {
                FleetMetrics.Computation(_nameTag, FleetMetrics.Unavailable);
                try
                {
                    return await work.ComputeAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    // Computed without the lock: whoever waits on it must not wait for a lock that may exist with no owner.
                    await PublishAsync(new CoherenceMessage(CoherenceKind.Released, storageId)).ConfigureAwait(false);
                }
            }

            if (attempt.Token is { } token)
            {
                return await HoldAsync(work with { Policy = policy.Spent(_time.GetElapsedTime(started)) }, token, tookOver, cancellationToken).ConfigureAwait(false);
            }

            var waited = _time.GetElapsedTime(started);
            var bound = TimeSpan.FromTicks(Math.Min(Math.Min(soft.Ticks, hard.Ticks), (deadline - _time.GetUtcNow()).Ticks + waited.Ticks));
            var wait = FleetMetrics.StartLockWait();
            await WaitForReleaseAsync(storageId, bound - waited, cancellationToken).ConfigureAwait(false);
            wait.End(_nameTag, timedOut: _time.GetElapsedTime(started) >= bound);
            var result = await work.ReadStoredAsync(work.Policy.Tiers, cancellationToken).ConfigureAwait(false);
            if (result.Found)
            {
                FleetMetrics.Computation(_nameTag, FleetMetrics.Peer);
                return result.Value;
            }

            waited = _time.GetElapsedTime(started);
            if (waited >= soft)
            {
                FleetMetrics.Computation(_nameTag, FleetMetrics.Stale);
                Log.FailSafeTimeout(_logger, storageId, soft.TotalMilliseconds);
                return work.Stale.Value;
            }

            if (waited >= hard)
            {
                FleetMetrics.Computation(_nameTag, FleetMetrics.HardTimeout);
                throw new TimeoutException(
                    $"Cache entry {storageId} is being computed by another process and did not arrive within the hard timeout of {hard.TotalMilliseconds:F0} ms.");
            }

            if (_time.GetUtcNow() >= deadline)
            {
                FleetMetrics.Computation(_nameTag, FleetMetrics.WaitTimeout);
                Log.LockWaitExceeded(_logger, storageId, (int)_lockWait.TotalSeconds);
                return await work.ComputeAsync(cancellationToken).ConfigureAwait(false);
            }

            // The lock is free and nothing was stored (the holder failed or died): try to take it.
            tookOver = true;
        }
    }

    private async ValueTask<T> HoldAsync<TState, T>(MissWork<TState, T> work, string token, bool waited, CancellationToken cancellationToken)
    {
        var lease = new FleetLease(this, work.Key.StorageId, token, _lockExpiry, _time);
        try
        {
            // The previous holder may have stored the value between our read and our lock.
            var stored = await work.ReadStoredAsync(work.Policy.Tiers & ~CacheTiers.Persistent, cancellationToken).ConfigureAwait(false);
            FleetMetrics.Computation(_nameTag, stored.Found ? FleetMetrics.Peer : waited ? FleetMetrics.TookOver : FleetMetrics.Computed);
            return stored.Found ? stored.Value : await (work with { Lease = lease }).ComputeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!lease.HandedOver)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ReleaseAbandonedAsync(string storageId, string token)
    {
        var until = _time.GetUtcNow() + _lockExpiry;
        while (_time.GetUtcNow() < until)
        {
            if (await _guard.RunAsync((_coordinator, storageId, token), static (s, _) => GuardedStore.Completed(s._coordinator.ReleaseLockAsync(s.storageId, s.token)), false, "release lock", CancellationToken.None).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(ReleasePollInterval, _time).ConfigureAwait(false);
        }
    }

    private async Task WaitForReleaseAsync(string storageId, TimeSpan limit, CancellationToken cancellationToken)
    {
        var released = _releaseWaiters.GetOrAdd(storageId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var started = _time.GetTimestamp();
        try
        {
            while (_time.GetElapsedTime(started) < limit)
            {
                var left = limit - _time.GetElapsedTime(started);
                var poll = Task.Delay(left < ReleasePollInterval ? TimeSpan.FromTicks(Math.Max(1, left.Ticks)) : ReleasePollInterval, _time, cancellationToken);
                if (await Task.WhenAny(released.Task, poll).ConfigureAwait(false) == released.Task)
                {
                    return;
                }

                cancellationToken.ThrowIfCancellationRequested();
                // The poll catches a release message lost to a reconnect, and a holder whose lock expired.
                // A failed check counts as released: the caller then reads, and takes the lock or computes.
                var locked = await _guard.RunAsync((_coordinator, storageId), static (s, ct) => s._coordinator.IsLockedAsync(s.storageId, ct), false, "check lock", cancellationToken).ConfigureAwait(false);
                if (!locked)
                {
                    return;
                }
            }
        }
        finally
        {
            _releaseWaiters.TryRemove(new KeyValuePair<string, TaskCompletionSource>(storageId, released));
        }
    }
}
