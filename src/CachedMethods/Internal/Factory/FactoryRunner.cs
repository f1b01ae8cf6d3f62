using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// Runs a factory on a miss and stores its result: with fail-safe, a failing or slow factory yields
/// the stale value at hand (soft timeout); every wait is bounded by the hard timeout; a factory that
/// outlives its caller finishes in the background and still stores its result.
/// </summary>
internal sealed class FactoryRunner(TierWriter writer, TimeProvider time, ILogger logger)
{
    public async ValueTask<T> RunAsync<TState, T>(MissWork<TState, T> work, CancellationToken cancellationToken)
    {
        var key = work.Key;
        var policy = work.Policy;
        var stale = work.Stale;
        var failSafe = policy.Retain > TimeSpan.Zero && stale.HasStale;
        // Stamped at the start (issue 9, case 7): a delete or invalidation the computation overlaps voids its result.
        var startedAt = writer.Now();
        Task<T> running;
        try
        {
            var pending = work.Factory(work.State, cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                var ready = pending.Result;
                await StoreAsync(key, ready, policy, startedAt, work.Lease?.Token).ConfigureAwait(false);
                return ready;
            }

            running = pending.AsTask();
        }
        catch (Exception ex) when (failSafe && !cancellationToken.IsCancellationRequested)
        {
            Log.FailSafeUsed(logger, key.StorageId, ex.GetType().Name, ex);
            return stale.Value;
        }

        var wait = WaitBound(policy, failSafe);
        if (wait > TimeSpan.Zero && !running.IsCompleted)
        {
            var timer = Task.Delay(wait, time, CancellationToken.None);
            if (await Task.WhenAny(running, timer).ConfigureAwait(false) != running)
            {
                // The lease goes with the background computation: renewed until it stores, then released.
                work.Lease?.HandOver();
                _ = StoreWhenDoneAsync(key, running, policy, startedAt, work.Lease);
                if (failSafe)
                {
                    Log.FailSafeTimeout(logger, key.StorageId, wait.TotalMilliseconds);
                    return stale.Value;
                }

                throw new TimeoutException(
                    $"The factory for cache entry {key.StorageId} did not finish within its hard timeout of {policy.HardTimeout.TotalMilliseconds:F0} ms. " +
                    "It goes on in the background and its result will be cached.");
            }
        }

        T value;
        try
        {
            value = await running.ConfigureAwait(false);
        }
        catch (Exception ex) when (failSafe && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Log.FailSafeUsed(logger, key.StorageId, ex.GetType().Name, ex);
            return stale.Value;
        }

        await StoreAsync(key, value, policy, startedAt, work.Lease?.Token).ConfigureAwait(false);
        return value;
    }

    /// <summary>
    /// Stores a value computed from <paramref name="startedAt"/> (fleet ms) in every allowed tier, unless the
    /// fleet refuses it; an unserializable value is logged, not stored.
    /// </summary>
    public async ValueTask StoreAsync<T>(CacheKey key, T value, EntryPolicy policy, long startedAt, string? lockToken = null)
    {
        if (writer.Prepare(key, value, policy, throwIfUnserializable: false, startedAt) is { } entry)
        {
            // The value is ready for the caller; a cancelled caller still leaves the entry stored.
            await writer.WriteAsync(key, value, entry, CancellationToken.None, lockToken).ConfigureAwait(false);
        }
    }

    /// <summary>The fleet's time now: the start stamp of a computation.</summary>
    public long Now() => writer.Now();

    /// <summary>The synchronous form: the factory runs once, its result is stored.</summary>
    public T Run<TState, T>(CacheKey key, TState state, Func<TState, T> factory, in EntryPolicy policy)
    {
        var startedAt = writer.Now();
        var value = factory(state);
        if (writer.Prepare(key, value, policy, throwIfUnserializable: false, startedAt) is { } entry)
        {
            writer.Write(key, value, entry);
        }

        return value;
    }

    /// <summary>The soft timeout when fail-safe has a value at hand and it is the shorter bound; else the hard timeout (zero: none).</summary>
    private static TimeSpan WaitBound(in EntryPolicy policy, bool failSafe)
    {
        var soft = failSafe ? policy.SoftTimeout : TimeSpan.Zero;
        return soft > TimeSpan.Zero && (policy.HardTimeout <= TimeSpan.Zero || soft < policy.HardTimeout) ? soft : policy.HardTimeout;
    }

    private async Task StoreWhenDoneAsync<T>(CacheKey key, Task<T> running, EntryPolicy policy, long startedAt, FleetLease? lease)
    {
        try
        {
            var value = await running.ConfigureAwait(false);
            await StoreAsync(key, value, policy, startedAt, lease?.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.BackgroundFactoryFailed(logger, key.StorageId, ex);
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
