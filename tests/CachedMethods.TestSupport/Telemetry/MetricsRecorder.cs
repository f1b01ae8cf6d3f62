using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CachedMethods.TestSupport;

/// <summary>
/// Listens to every instrument of the <c>CachedMethods</c> meter and keeps what one cache (by its
/// <c>cachedmethods.cache.name</c>) reported: the last value of each observable series, the sum of each
/// counter series, and every histogram recording. It also notes which instruments a test read
/// (<see cref="Checked"/>), so that a test can prove it read every instrument the meter publishes.
/// </summary>
public sealed class MetricsRecorder : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CachedMethods";

    private readonly MeterListener _listener = new();
    private readonly string _cacheName;
    private readonly ConcurrentDictionary<string, long> _observed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _added = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _recorded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Instrument> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _checked = new(StringComparer.Ordinal);

    public MetricsRecorder(string cacheName)
    {
        _cacheName = cacheName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
                _published[instrument.Name] = instrument;
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnLong(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnDouble(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The instruments of the meter this listener was told about, by name.</summary>
    public IReadOnlyDictionary<string, Instrument> Published => _published;

    /// <summary>The instruments a test read through <see cref="Observed"/>, <see cref="Added"/> or <see cref="Recorded"/>.</summary>
    public IReadOnlyCollection<string> Checked => _checked.Keys.ToArray();

    /// <summary>Reads every observable instrument now.</summary>
    public void Collect()
    {
        _observed.Clear();
        _listener.RecordObservableInstruments();
    }

    /// <summary>The last observed value of a series (<c>tier=redis,outcome=hit</c>), or null when none was reported.</summary>
    public long? Observed(string instrument, string tags) => _observed.TryGetValue(Key(Check(instrument), tags), out var v) ? v : null;

    /// <summary>The sum of what a counter added to a series.</summary>
    public long Added(string instrument, string tags) => _added.TryGetValue(Key(Check(instrument), tags), out var v) ? v : 0;

    /// <summary>The values a histogram recorded in a series.</summary>
    public IReadOnlyCollection<double> Recorded(string instrument, string tags) =>
        _recorded.TryGetValue(Key(Check(instrument), tags), out var q) ? q.ToArray() : [];

    /// <summary>Every series of <paramref name="instrument"/> with a measurement, as <c>tags</c> (sorted, cache name left out).</summary>
    public IReadOnlyCollection<string> Series(string instrument)
    {
        var prefix = instrument + "{";
        return _observed.Keys.Concat(_added.Keys).Concat(_recorded.Keys)
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..^1])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Every series key observed, added or recorded, for a failure message.</summary>
    public string Dump() => string.Join(
        "\n",
        _observed.Select(p => $"{p.Key} = {p.Value}")
            .Concat(_added.Select(p => $"{p.Key} += {p.Value}"))
            .Concat(_recorded.Select(p => $"{p.Key} x{p.Value.Count}"))
            .Order(StringComparer.Ordinal));

    public void Dispose() => _listener.Dispose();

    private string Check(string instrument)
    {
        _checked[instrument] = 0;
        return instrument;
    }

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
