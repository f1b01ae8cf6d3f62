using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// Runs a factory on a miss and stores its result: with fail-safe, a failing or slow factory yields
/// the stale value at hand (soft timeout); every wait is bounded by the hard timeout; a factory that
/// outlives its caller finishes in the background and still stores its result. Every run is counted
/// for its method when it ends (and timed, when the <c>cachedmethods.factory.duration</c> histogram is listened to).
/// </summary>
internal sealed class FactoryRunner(TierWriter writer, MethodRegistry methods, KeyValuePair<string, object?> nameTag, TimeProvider time, ILogger logger)
{
    public async ValueTask<T> RunAsync<TState, T>(MissWork<TState, T> work, CancellationToken cancellationToken)
    {
        var key = work.Key;
        var policy = work.Policy;
        var stale = work.Stale;
        var failSafe = policy.Retain > TimeSpan.Zero && stale.HasStale;
        // Stamped at the start (issue 9, case 7): a delete or invalidation the computation overlaps voids its result.
        var startedAt = writer.Now();
        var run = new FactoryRun(methods.For(key), nameTag);
        using var activity = CacheTracing.StartFactory(run.Method.Name);
        Task<T> running;
        try
        {
            var pending = work.Factory(work.State, cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                var ready = pending.Result;
                run.Ended(activity, failed: false);
                await StoreAsync(key, ready, policy, startedAt, work.Lease?.Token).ConfigureAwait(false);
                return ready;
            }

            running = pending.AsTask();
        }
        catch (Exception ex) when (run.Ended(activity, failed: true) && failSafe && !cancellationToken.IsCancellationRequested)
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
                CacheTracing.End(activity, "timeout", failed: !failSafe);
                // The lease goes with the background computation: renewed until it stores, then released.
                work.Lease?.HandOver();
                _ = StoreWhenDoneAsync(key, running, policy, startedAt, work.Lease, run);
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
            run.Ended(activity, failed: false);
        }
        catch (Exception ex) when (run.Ended(activity, failed: true) && failSafe && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
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
        var run = new FactoryRun(methods.For(key), nameTag);
        using var activity = CacheTracing.StartFactory(run.Method.Name);
        T value;
        try
        {
            value = factory(state);
            run.Ended(activity, failed: false);
        }
        catch (Exception) when (run.Ended(activity, failed: true))
        {
            throw;
        }

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

    private async Task StoreWhenDoneAsync<T>(CacheKey key, Task<T> running, EntryPolicy policy, long startedAt, FleetLease? lease, FactoryRun run)
    {
        try
        {
            var value = await running.ConfigureAwait(false);
            run.Ended(null, failed: false);
            await StoreAsync(key, value, policy, startedAt, lease?.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (run.Ended(null, failed: true))
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

    /// <summary>One factory run of one method, counted once when it ends.</summary>
    private sealed class FactoryRun(MethodCounters method, KeyValuePair<string, object?> nameTag)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private int _ended;

        public MethodCounters Method => method;

        /// <summary>Counts the run's end the first time it is called; always <see langword="true"/>, for use in an exception filter.</summary>
        public bool Ended(Activity? activity, bool failed)
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0)
            {
                return true;
            }

            method.CountFactoryRun(failed);
            CacheTracing.End(activity, failed ? "error" : "success", failed);
            if (CacheMetrics.FactoryDuration.Enabled)
            {
                CacheMetrics.FactoryDuration.Record(
                    CacheMetrics.SecondsSince(_started), nameTag,
                    CacheMetrics.Tag(CacheMetrics.MethodTag, method.Name), CacheMetrics.Tag(CacheMetrics.OutcomeTag, failed ? "error" : "success"));
            }

            return true;
        }
    }
}
