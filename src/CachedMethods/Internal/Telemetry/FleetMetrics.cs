using System.Diagnostics;

namespace CachedMethods.Internal;

/// <summary>
/// What the fleet coordinator records: single-flight outcomes, lock waits, coherence messages and their
/// lag. Kept here so the coordinator only says what happened, in one line each.
/// </summary>
internal static class FleetMetrics
{
    /// <summary>The value was computed in this process while holding the key's lock.</summary>
    public const string Computed = "computed";

    /// <summary>Another process stored the value: read after waiting for its lock, or found on taking the lock.</summary>
    public const string Peer = "peer";

    /// <summary>The lock could not be asked for (Redis failing or its circuit open): computed here without it.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The wait for another holder passed the lock-wait timeout: computed here.</summary>
    public const string WaitTimeout = "wait_timeout";

    /// <summary>A waiter reached its soft timeout before the holder's value arrived: served its stale value.</summary>
    public const string Stale = "stale";

    /// <summary>A waiter reached its hard timeout before the holder's value arrived: threw <see cref="TimeoutException"/>.</summary>
    public const string HardTimeout = "hard_timeout";

    /// <summary>A waiter whose holder released (or lost) the lock without storing a value took the lock and computed.</summary>
    public const string TookOver = "took_over";

    public static void Computation(KeyValuePair<string, object?> cacheName, string outcome)
    {
        if (CacheMetrics.FleetComputations.Enabled)
        {
            CacheMetrics.FleetComputations.Add(1, cacheName, CacheMetrics.Tag(CacheMetrics.OutcomeTag, outcome));
        }
    }

    public static void Sent(KeyValuePair<string, object?> cacheName, CoherenceKind kind)
    {
        if (CacheMetrics.CoherenceMessages.Enabled)
        {
            CacheMetrics.CoherenceMessages.Add(1, cacheName, CacheMetrics.Tag(CacheMetrics.DirectionTag, "sent"), CacheMetrics.Tag(CacheMetrics.KindTag, KindName(kind)));
        }
    }

    /// <summary>Counts a received message and, when it carries its sending time, the lag since.</summary>
    public static void Received(KeyValuePair<string, object?> cacheName, CoherenceMessage message, TimeProvider time)
    {
        if (CacheMetrics.CoherenceMessages.Enabled)
        {
            CacheMetrics.CoherenceMessages.Add(1, cacheName, CacheMetrics.Tag(CacheMetrics.DirectionTag, "received"), CacheMetrics.Tag(CacheMetrics.KindTag, KindName(message.Kind)));
        }

        if (message.At > 0 && CacheMetrics.CoherenceLag.Enabled)
        {
            var lag = Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - message.At) / 1000.0;
            CacheMetrics.CoherenceLag.Record(lag, cacheName, CacheMetrics.Tag(CacheMetrics.KindTag, KindName(message.Kind)));
        }
    }

    /// <summary>Starts timing a wait for another process's lock (and its span, when traced).</summary>
    public static LockWait StartLockWait() => new(Stopwatch.GetTimestamp(), CacheTracing.StartLockWait());

    private static string KindName(CoherenceKind kind) => kind switch
    {
        CoherenceKind.Remove => "remove",
        CoherenceKind.Clear => "clear",
        CoherenceKind.Tag => "tag",
        CoherenceKind.Released => "released",
        CoherenceKind.Reconnected => "reconnected",
        _ => "other",
    };

    /// <summary>One wait for a lock held elsewhere.</summary>
    public readonly struct LockWait(long started, Activity? activity)
    {
        /// <summary>Records the wait's duration and outcome (released, or timeout when the deadline passed).</summary>
        public void End(KeyValuePair<string, object?> cacheName, bool timedOut)
        {
            var outcome = timedOut ? "timeout" : "released";
            if (CacheMetrics.LockWaitDuration.Enabled)
            {
                CacheMetrics.LockWaitDuration.Record(CacheMetrics.SecondsSince(started), cacheName, CacheMetrics.Tag(CacheMetrics.OutcomeTag, outcome));
            }

            CacheTracing.End(activity, outcome);
            activity?.Dispose();
        }
    }
}
