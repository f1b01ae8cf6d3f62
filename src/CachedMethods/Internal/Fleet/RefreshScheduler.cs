using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// Refresh-ahead: one background refresh per key in this process, and one per fleet when the entry
/// asks for distributed single-flight (the process that takes the key's lock refreshes; the others
/// push their refresh point back and receive the new value through the coherence channel). Each
/// refresh is counted by its outcome (<c>cachedmethods.refreshes</c>).
/// </summary>
internal sealed class RefreshScheduler(IFleetCoordinator fleet, MemoryCacheStore? memory, KeyValuePair<string, object?> nameTag, ILogger logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<CacheKey, byte> _refreshing = new();

    /// <summary>Starts a refresh of <paramref name="work"/>'s key unless one is running here.</summary>
    public void Start<TState, T>(MissWork<TState, T> work)
    {
        if (_refreshing.TryAdd(work.Key, 0))
        {
            _ = RefreshAsync(work);
        }
    }

    private async Task RefreshAsync<TState, T>(MissWork<TState, T> work)
    {
        var key = work.Key;
        var attempt = LockAttempt.Unavailable;
        Activity? span = null;
        try
        {
            if (work.Policy.Distributed)
            {
                attempt = await fleet.TryAcquireLockAsync(key.StorageId, CancellationToken.None).ConfigureAwait(false);
                if (attempt.Outcome == LockOutcome.HeldElsewhere)
                {
                    // Another process refreshes; its write drops our copy through the coherence channel.
                    memory?.PostponeRefresh(key, RetryDelay);
                    CacheMetrics.Refreshed(nameTag, key.MethodName, "peer");
                    return;
                }
            }

            var startedAt = work.Runner.Now();
            span = CacheTracing.StartFactory(key.MethodName, refresh: true);
            var value = await work.Factory(work.State, CancellationToken.None).ConfigureAwait(false);
            EndSpan(ref span, failed: false);
            await work.Runner.StoreAsync(key, value, work.Policy, startedAt, attempt.Token).ConfigureAwait(false);
            CacheMetrics.Refreshed(nameTag, key.MethodName, "success");
        }
        catch (Exception ex)
        {
            EndSpan(ref span, failed: true);
            // The current entry stays until it expires; the next hit past the refresh point tries again.
            Log.BackgroundFactoryFailed(logger, key.StorageId, ex);
            memory?.PostponeRefresh(key, RetryDelay);
            CacheMetrics.Refreshed(nameTag, key.MethodName, "error");
        }
        finally
        {
            if (attempt.Token is { } token)
            {
                await fleet.ReleaseLockAsync(key.StorageId, token).ConfigureAwait(false);
            }

            _refreshing.TryRemove(key, out _);
        }
    }

    /// <summary>Ends the refresh's factory span, once.</summary>
    private static void EndSpan(ref Activity? span, bool failed)
    {
        CacheTracing.End(span, failed ? "error" : "success", failed);
        span?.Dispose();
        span = null;
    }
}
