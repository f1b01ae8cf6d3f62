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

    // The span names, each a constant ending in "SpanName" (tests/CachedMethods.IntegrationTests/ObservabilityDocsTests.cs reads them all).
    public const string TierReadSpanName = "cachedmethods.tier.read";
    public const string FactorySpanName = "cachedmethods.factory";
    public const string LockWaitSpanName = "cachedmethods.lock.wait";

    /// <summary>Set (true) on the factory span of a refresh-ahead run.</summary>
    public const string RefreshTag = "cachedmethods.refresh";

    public static readonly ActivitySource Source = new(SourceName, typeof(CacheTracing).Assembly.GetName().Version?.ToString(3));

    /// <summary>A read of one tier below memory.</summary>
    public static Activity? StartTierRead(string tier)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(TierReadSpanName, ActivityKind.Client);
        activity?.SetTag(CacheMetrics.TierTag, tier);
        return activity;
    }

    /// <summary>A run of a cached method's own code on a miss, or in the background for refresh-ahead (<paramref name="refresh"/>).</summary>
    public static Activity? StartFactory(string method, bool refresh = false)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(FactorySpanName);
        activity?.SetTag(CacheMetrics.MethodTag, method);
        if (refresh)
        {
            activity?.SetTag(RefreshTag, true);
        }

        return activity;
    }

    /// <summary>A wait for the process that holds a key's fleet lock.</summary>
    public static Activity? StartLockWait()
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        return Source.StartActivity(LockWaitSpanName);
    }

    /// <summary>
    /// Sets the outcome tag, and an error status for a failure. The first outcome stays: a read the guard
    /// already marked as failed or skipped (<see cref="NoteTierReadFault"/>) keeps that outcome.
    /// </summary>
    public static void End(Activity? activity, string outcome, bool failed = false)
    {
        if (activity is null || activity.GetTagItem(CacheMetrics.OutcomeTag) is not null)
        {
            return;
        }

        activity.SetTag(CacheMetrics.OutcomeTag, outcome);
        if (failed)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>
    /// Called by a store's guard when its read failed (<paramref name="failure"/>) or was skipped (null: down or
    /// circuit open). The guard does not know the span, but a tier read runs inside its own span: when the current
    /// activity is the open read span of that tier, its outcome becomes <c>error</c>, <c>timeout</c> or
    /// <c>skipped</c>, and a failure sets the error status and <c>error.type</c>.
    /// </summary>
    public static void NoteTierReadFault(string tier, Exception? failure)
    {
        if (Activity.Current is not { } activity
            || activity.Source != Source || activity.OperationName != TierReadSpanName || activity.IsStopped
            || activity.GetTagItem(CacheMetrics.OutcomeTag) is not null || !Equals(activity.GetTagItem(CacheMetrics.TierTag), tier))
        {
            return;
        }

        if (failure is null)
        {
            activity.SetTag(CacheMetrics.OutcomeTag, "skipped");
            return;
        }

        activity.SetTag(CacheMetrics.OutcomeTag, failure is TimeoutException ? "timeout" : "error");
        activity.SetTag(CacheMetrics.ErrorTypeTag, failure.GetType().FullName);
        activity.SetStatus(ActivityStatusCode.Error, failure.Message);
    }
}
