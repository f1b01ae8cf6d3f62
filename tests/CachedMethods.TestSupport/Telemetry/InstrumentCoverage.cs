namespace CachedMethods.TestSupport;

/// <summary>
/// Where each instrument of the <c>CachedMethods</c> meter is read after a scripted sequence. The instruments
/// of the fleet need a real redis-server and two engines: CachedMethods.IntegrationTests' FleetMetricsTests reads
/// exactly these; CachedMethods.Tests' MetricsTests reads every other instrument the meter publishes. A new
/// instrument fails one of the two until a test reads it.
/// </summary>
public static class InstrumentCoverage
{
    /// <summary>The instruments read against a real Redis with two engines.</summary>
    public static readonly IReadOnlySet<string> Fleet = new HashSet<string>(StringComparer.Ordinal)
    {
        "cachedmethods.lock.wait.duration",
        "cachedmethods.fleet.computations",
        "cachedmethods.coherence.messages",
        "cachedmethods.coherence.lag",
    };
}
