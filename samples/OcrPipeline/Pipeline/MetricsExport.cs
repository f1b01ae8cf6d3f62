using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace OcrPipeline.Pipeline;

/// <summary>
/// <c>--metrics</c>: the cache's <c>CachedMethods</c> meter through the OpenTelemetry SDK's console exporter
/// (printed when the run ends), or the command that attaches dotnet-counters to this process.
/// </summary>
public sealed class MetricsExport : IDisposable
{
    private readonly MeterProvider? _provider;
    private readonly bool _waitForEnter;

    private MetricsExport(MeterProvider? provider, bool waitForEnter)
    {
        _provider = provider;
        _waitForEnter = waitForEnter;
    }

    public static MetricsExport Start(string? mode, TextWriter output)
    {
        switch (mode)
        {
            case "console":
                return new MetricsExport(Sdk.CreateMeterProviderBuilder().AddMeter("CachedMethods").AddConsoleExporter().Build(), waitForEnter: false);
            case "counters":
                output.WriteLine($"metrics: dotnet-counters monitor --process-id {Environment.ProcessId} --counters CachedMethods");
                return new MetricsExport(null, waitForEnter: !Console.IsInputRedirected);
            default:
                return new MetricsExport(null, waitForEnter: false);
        }
    }

    /// <summary>Prints the console exporter's last collection, or waits for Enter while dotnet-counters watches.</summary>
    public void Dispose()
    {
        if (_waitForEnter)
        {
            Console.WriteLine("metrics: press Enter to exit (dotnet-counters can read the counters until then)");
            Console.ReadLine();
        }

        _provider?.Dispose();
    }
}
