using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace CachedMethods.Internal;

/// <summary>
/// The <c>CachedMethods</c> meter. Counts the engine already keeps (tier lookups, errors, per-method
/// requests, evictions, sizes) are published as observable instruments, read only when a listener
/// collects: a memory hit does the one striped increment it always did and nothing more. Events that
/// happen only on a miss (a factory run, a lock wait, a fleet computation, a coherence message) are
/// recorded as they happen, and cost one enabled-check when nobody listens. See docs/observability.md.
/// </summary>
internal static class CacheMetrics
{
    public const string MeterName = "CachedMethods";

    public const string CacheNameTag = "cachedmethods.cache.name";
    public const string MethodTag = "cachedmethods.method";
    public const string TierTag = "cachedmethods.tier";
    public const string OutcomeTag = "cachedmethods.outcome";
    public const string ErrorTypeTag = "error.type";
    public const string DirectionTag = "cachedmethods.direction";
    public const string KindTag = "cachedmethods.message.kind";

    public static readonly Meter Meter = new(MeterName, typeof(CacheMetrics).Assembly.GetName().Version?.ToString(3));

    /// <summary>Live engines, held weakly: an engine nobody disposed still leaves when it is collected.</summary>
    private static readonly ConditionalWeakTable<CacheManager, object?> Engines = new();

    public static readonly Histogram<double> FactoryDuration = Meter.CreateHistogram<double>(
        "cachedmethods.factory.duration", "s", "How long a cached method's factory ran on a miss.");

    public static readonly Histogram<double> LockWaitDuration = Meter.CreateHistogram<double>(
        "cachedmethods.lock.wait.duration", "s", "How long a miss waited for another process holding the key's fleet lock.");

    public static readonly Counter<long> FleetComputations = Meter.CreateCounter<long>(
        "cachedmethods.fleet.computations", "{computation}", "Outcomes of distributed single-flight: computed here, served by a peer, lock unavailable, wait timed out.");

    public static readonly Counter<long> CoherenceMessages = Meter.CreateCounter<long>(
        "cachedmethods.coherence.messages", "{message}", "Coherence messages sent to and received from other processes.");

    public static readonly Histogram<double> CoherenceLag = Meter.CreateHistogram<double>(
        "cachedmethods.coherence.lag", "s", "Time from a coherence message's sending to its receipt here.");

    public static readonly Counter<long> Refreshes = Meter.CreateCounter<long>(
        "cachedmethods.refreshes", "{refresh}", "Refresh-ahead runs in the background, by method and outcome: success, error, or peer (another process holds the key's lock and refreshes).");

    static CacheMetrics()
    {
        Meter.CreateObservableCounter("cachedmethods.requests", static () => Collect(static (e, m) => e.ObserveRequests(m)), "{request}",
            "Calls to a cached method (or the cache API), by method and outcome: hit (served by any tier) or miss.");
        Meter.CreateObservableCounter("cachedmethods.tier.lookups", static () => Collect(static (e, m) => e.ObserveLookups(m)), "{lookup}",
            "Lookups in one tier, by outcome (hit or miss). A request that memory misses looks up the tiers below it.");
        Meter.CreateObservableCounter("cachedmethods.tier.errors", static () => Collect(static (e, m) => e.ObserveErrors(m)), "{error}",
            "Failed calls to a tier, by error.type (timeout or error); each also counts as a miss.");
        Meter.CreateObservableCounter("cachedmethods.tier.skipped", static () => Collect(static (e, m) => e.ObserveSkipped(m)), "{entry}",
            "Values not stored in a tier because they exceed its size limit.");
        Meter.CreateObservableCounter("cachedmethods.evictions", static () => Collect(static (e, m) => e.ObserveEvictions(m)), "{entry}",
            "Entries evicted from the memory tier to stay within its bound.");
        Meter.CreateObservableGauge("cachedmethods.tier.circuit.state", static () => Collect(static (e, m) => e.ObserveCircuits(m)), "{state}",
            "A tier's circuit: 0 closed (calls go through), 1 open (calls skipped after repeated failures).");
        Meter.CreateObservableGauge("cachedmethods.tier.available", static () => Collect(static (e, m) => e.ObserveAvailability(m)), "{state}",
            "1 while a tier serves calls, 0 while it is down or its circuit is open.");
        Meter.CreateObservableGauge("cachedmethods.tier.entries", static () => Collect(static (e, m) => e.ObserveEntries(m)), "{entry}",
            "Entries a tier holds (tiers that cannot tell cheaply report nothing).");
        Meter.CreateObservableGauge("cachedmethods.tier.size", static () => Collect(static (e, m) => e.ObserveSize(m)), "By",
            "Bytes a tier holds (tiers that cannot tell cheaply report nothing).");
    }

    public static void Register(CacheManager engine) => Engines.AddOrUpdate(engine, null);

    public static void Unregister(CacheManager engine) => Engines.Remove(engine);

    /// <summary>Counts one refresh-ahead of <paramref name="method"/>: <c>success</c>, <c>error</c> or <c>peer</c>.</summary>
    public static void Refreshed(KeyValuePair<string, object?> cacheName, string method, string outcome)
    {
        if (Refreshes.Enabled)
        {
            Refreshes.Add(1, cacheName, Tag(MethodTag, method), Tag(OutcomeTag, outcome));
        }
    }

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    /// <summary>Seconds since <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static double SecondsSince(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;

    private static List<Measurement<long>> Collect(Action<CacheManager, List<Measurement<long>>> observe)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var pair in Engines)
        {
            observe(pair.Key, measurements);
        }

        return measurements;
    }
}
