using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using CachedMethods.Internal;
using CachedMethods.Redis;
using CachedMethods.S3;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// docs/observability.md says what the code publishes: its instrument table is the meter's instruments (name,
/// kind, unit), its span table the activity source's span names, its event-id table every source-generated log
/// message of the core, Redis and S3 packages (id, level, package). A change to either side fails here.
/// </summary>
public sealed partial class ObservabilityDocsTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "observability.md"));

    [Fact]
    public async Task The_instrument_table_lists_exactly_the_meters_instruments_with_their_kind_and_unit()
    {
        using var metrics = new MetricsRecorder("docs");
        // An engine makes sure the meter and all its instruments exist.
        await using (new CacheManager(new CacheOptions { CacheName = "docs", DiskCacheSizeGb = 0 }))
        {
        }

        var published = metrics.Published.Values
            .Select(i => $"{i.Name} | {KindOf(i)} | {i.Unit}")
            .Order(StringComparer.Ordinal);
        var documented = Rows("## Metrics", "### Reading them")
            .Select(cells => $"{Code(cells[0])} | {cells[1]} | {Code(cells[2])}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(published, documented);
    }

    [Fact]
    public void The_span_table_lists_exactly_the_activity_sources_spans()
    {
        var spans = typeof(CacheTracing).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("SpanName", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);
        var documented = Rows("## Traces", "## Statistics")
            .Select(cells => Code(cells[0].Replace("(client)", "", StringComparison.Ordinal).Trim()))
            .Order(StringComparer.Ordinal);

        Assert.Equal(spans, documented);
    }

    [Fact]
    public void The_event_id_table_lists_exactly_the_log_messages_of_every_package()
    {
        var packages = new (Assembly Assembly, string Package)[]
        {
            (typeof(CacheManager).Assembly, "core"),
            (typeof(RedisCacheStore).Assembly, "Redis"),
            (typeof(S3CacheStore).Assembly, "S3"),
        };
        var logged = packages
            .SelectMany(p => p.Assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
                .OfType<LoggerMessageAttribute>()
                .Select(a => $"{a.EventId} | {a.Level} | {p.Package}"))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var documented = Rows("## Logs", null)
            .Select(cells => $"{cells[0]} | {cells[1]} | {cells[2]}")
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(logged.Distinct().Count(), logged.Length);
        Assert.Equal(logged, documented);
    }

    private static string KindOf(Instrument instrument)
    {
        var type = instrument.GetType().GetGenericTypeDefinition();
        return type == typeof(ObservableCounter<>) ? "observable counter"
            : type == typeof(ObservableGauge<>) ? "observable gauge"
            : type == typeof(ObservableUpDownCounter<>) ? "observable up-down counter"
            : type == typeof(Counter<>) ? "counter"
            : type == typeof(UpDownCounter<>) ? "up-down counter"
            : type == typeof(Histogram<>) ? "histogram"
            : type == typeof(Gauge<>) ? "gauge"
            : type.Name;
    }

    /// <summary>The cells of the table rows between two headings (past its header and separator rows).</summary>
    private static IEnumerable<string[]> Rows(string from, string? to)
    {
        var start = Page.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, from);
        var end = to is null ? Page.Length : Page.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(end > start, to);
        var rows = Page[start..end].Split('\n')
            .Where(line => line.StartsWith('|'))
            .Select(line => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToArray();
        Assert.True(rows.Length > 2, $"no table under {from}");
        return rows.Skip(2);
    }

    /// <summary>The text of a cell in backticks (<c>`cachedmethods.requests`</c>).</summary>
    private static string Code(string cell)
    {
        var match = CodeSpan().Match(cell);
        Assert.True(match.Success, cell);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("^`([^`]+)`$")]
    private static partial Regex CodeSpan();
}
