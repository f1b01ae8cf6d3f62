using System.Collections.Concurrent;
using System.Diagnostics;

namespace CachedMethods.TestSupport;

/// <summary>
/// Keeps the spans of the <c>CachedMethods</c> activity source that belong to one test: those started under
/// a root activity of this recorder (<see cref="StartRoot"/>), so spans of tests running in parallel are left out.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivitySource _tests = new("CachedMethods.TestSupport.Spans");
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _started = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentDictionary<ActivityTraceId, byte> _roots = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "CachedMethods" || ReferenceEquals(source, _tests),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (IsOurs(activity))
                {
                    _started.Enqueue(activity);
                    Started?.Invoke(activity);
                }
            },
            ActivityStopped = activity =>
            {
                if (IsOurs(activity))
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Raised for each of our spans when it starts (on the thread that starts it).</summary>
    public event Action<Activity>? Started;

    /// <summary>Our spans that have ended, in the order they ended.</summary>
    public IReadOnlyList<Activity> Stopped => _stopped.ToArray();

    /// <summary>Our spans that have started.</summary>
    public IReadOnlyList<Activity> StartedSpans => _started.ToArray();

    /// <summary>Starts a root activity; the cache's spans started while it is current (and their async continuations) are ours.</summary>
    public Activity StartRoot(string name)
    {
        var root = _tests.StartActivity(name) ?? throw new InvalidOperationException("The test source is not sampled.");
        _roots[root.TraceId] = 0;
        return root;
    }

    /// <summary>Our ended spans started under <paramref name="root"/>.</summary>
    public IReadOnlyList<Activity> Under(Activity root) => Stopped.Where(a => a.TraceId == root.TraceId).ToArray();

    /// <summary>Our ended spans named <paramref name="operation"/>.</summary>
    public IReadOnlyList<Activity> Ended(string operation) => Stopped.Where(a => a.OperationName == operation).ToArray();

    public void Dispose()
    {
        _listener.Dispose();
        _tests.Dispose();
    }

    private bool IsOurs(Activity activity) => activity.Source.Name == "CachedMethods" && _roots.ContainsKey(activity.TraceId);
}
