using System.Diagnostics;

namespace CachedMethods.Internal;

/// <summary>
/// The <c>CachedMethods</c> activity source. Spans are started only past a memory hit (a read of a
/// lower tier, a factory run, a fleet lock wait), and only when a listener samples them: with none,
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns <see langword="null"/> after one check.
/// </summary>
internal static class CacheTracing
{
    public const string SourceName = "CachedMethods";

    public static readonly ActivitySource Source = new(SourceName, typeof(CacheTracing).Assembly.GetName().Version?.ToString(3));

    /// <summary>A read of one tier below memory.</summary>
    public static Activity? StartTierRead(string tier)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("cachedmethods.tier.read", ActivityKind.Client);
        activity?.SetTag(CacheMetrics.TierTag, tier);
        return activity;
    }

    /// <summary>A run of a cached method's own code on a miss.</summary>
    public static Activity? StartFactory(string method)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("cachedmethods.factory");
        activity?.SetTag(CacheMetrics.MethodTag, method);
        return activity;
    }

    /// <summary>A wait for the process that holds a key's fleet lock.</summary>
    public static Activity? StartLockWait()
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        return Source.StartActivity("cachedmethods.lock.wait");
    }

    /// <summary>Sets the outcome tag, and an error status for a failure.</summary>
    public static void End(Activity? activity, string outcome, bool failed = false)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(CacheMetrics.OutcomeTag, outcome);
        if (failed)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
