using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CachedMethods.Tests.Telemetry;

/// <summary>
/// Listens to every instrument of the <c>CachedMethods</c> meter and keeps what one cache (by its
/// <c>cachedmethods.cache.name</c>) reported: the last value of each observable series, the sum of each
/// counter series, and every histogram recording.
/// </summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _cacheName;
    private readonly ConcurrentDictionary<string, long> _observed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _added = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _recorded = new(StringComparer.Ordinal);

    public MetricsRecorder(string cacheName)
    {
        _cacheName = cacheName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "CachedMethods")
            {
                listener.EnableMeasurementEvents(instrument);
                Instruments.Add(instrument.Name);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnLong(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnDouble(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Names of the instruments this listener was told about.</summary>
    public ConcurrentBag<string> Instruments { get; } = [];

    /// <summary>Reads every observable instrument now.</summary>
    public void Collect()
    {
        _observed.Clear();
        _listener.RecordObservableInstruments();
    }

    /// <summary>The last observed value of a series (<c>tier=redis,outcome=hit</c>), or null when none was reported.</summary>
    public long? Observed(string instrument, string tags) => _observed.TryGetValue(Key(instrument, tags), out var v) ? v : null;

    /// <summary>The sum of what a counter added to a series.</summary>
    public long Added(string instrument, string tags) => _added.TryGetValue(Key(instrument, tags), out var v) ? v : 0;

    /// <summary>The values a histogram recorded in a series.</summary>
    public IReadOnlyCollection<double> Recorded(string instrument, string tags) =>
        _recorded.TryGetValue(Key(instrument, tags), out var q) ? q.ToArray() : [];

    /// <summary>Every series key observed or added, for a failure message.</summary>
    public string Dump() => string.Join("\n", _observed.Select(p => $"{p.Key} = {p.Value}").Concat(_added.Select(p => $"{p.Key} += {p.Value}")).Order(StringComparer.Ordinal));

    public void Dispose() => _listener.Dispose();

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (SeriesKey(instrument, tags) is not { } key)
        {
            return;
        }

        if (instrument.IsObservable)
        {
            _observed[key] = value;
        }
        else
        {
            _added.AddOrUpdate(key, value, (_, sum) => sum + value);
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (SeriesKey(instrument, tags) is { } key)
        {
            _recorded.GetOrAdd(key, static _ => new ConcurrentQueue<double>()).Enqueue(value);
        }
    }

    /// <summary>The instrument and its tags but the cache name, sorted; null for another cache's measurement.</summary>
    private string? SeriesKey(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var ours = false;
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            if (tag.Key == "cachedmethods.cache.name")
            {
                ours = Equals(tag.Value, _cacheName);
                continue;
            }

            parts.Add($"{ShortName(tag.Key)}={tag.Value}");
        }

        parts.Sort(StringComparer.Ordinal);
        return ours ? Key(instrument.Name, string.Join(",", parts)) : null;
    }

    private static string ShortName(string tag) => tag.StartsWith("cachedmethods.", StringComparison.Ordinal) ? tag["cachedmethods.".Length..] : tag;

    private static string Key(string instrument, string tags) =>
        instrument + "{" + string.Join(",", tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)) + "}";
}
