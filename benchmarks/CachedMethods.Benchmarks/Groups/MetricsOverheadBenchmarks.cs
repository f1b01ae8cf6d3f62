using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;
using CachedMethods.Benchmarks.Services;

namespace CachedMethods.Benchmarks.Groups;

/// <summary>
/// The memory hit with metrics off (no listener) and on (a <see cref="MeterListener"/> enabled for every
/// instrument of the <c>CachedMethods</c> meter, as dotnet-counters or the OpenTelemetry SDK attach one).
/// The hit path publishes through observable instruments only, so both rows should do the same work.
/// </summary>
/// <remarks>Each row runs in its own process (BenchmarkDotNet's default), so the listener of one never reaches the other.</remarks>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.Metrics)]
public class MetricsOverheadBenchmarks
{
    private int _id = BenchmarkSettings.HitId;
    private ItemService _service = null!;
    private CacheManager _engine = null!;
    private IItemService _generated = null!;
    private MeterListener? _listener;
    private long _measurements;

    [GlobalSetup(Target = nameof(Hit_MetricsOff))]
    public Task SetupOffAsync() => SetupAsync(listen: false);

    [GlobalSetup(Target = nameof(Hit_MetricsOn))]
    public Task SetupOnAsync() => SetupAsync(listen: true);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _listener?.Dispose();
        await _engine.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Item Hit_MetricsOff() => _generated.GetItem(_id);

    [Benchmark]
    public Item Hit_MetricsOn() => _generated.GetItem(_id);

    private async Task SetupAsync(bool listen)
    {
        _id = BenchmarkSettings.HitId;
        _service = new ItemService();
        if (listen)
        {
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == "CachedMethods")
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _listener.Start();
        }

        _engine = Engines.MemoryOnly();
        _generated = new CachedItemService(_service, _engine);
        await Warm.HitAsync(listen ? nameof(Hit_MetricsOn) : nameof(Hit_MetricsOff), () => _service.Calls, () => ValueTask.FromResult(_generated.GetItem(_id)));
        if (listen)
        {
            // The listener is live: a collection reads the engine's counters (the warm-up's hit among them).
            _listener!.RecordObservableInstruments();
            if (Interlocked.Read(ref _measurements) == 0)
            {
                throw new InvalidOperationException("The MeterListener saw no CachedMethods measurement: the 'on' row would time nothing different.");
            }
        }
    }
}
