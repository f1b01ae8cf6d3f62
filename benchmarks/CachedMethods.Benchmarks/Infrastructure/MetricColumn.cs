using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CachedMethods.Benchmarks.Infrastructure;

/// <summary>A summary column showing one metric that benchmarks recorded through <see cref="RunMetrics"/>.</summary>
/// <remarks>It appears only in the summaries of groups that record it.</remarks>
public sealed class MetricColumn(string metric, string header, string legend) : IColumn
{
    public string Id => nameof(MetricColumn) + "." + metric;

    public string ColumnName => header;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => Value(c) is not null);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => Value(benchmarkCase) ?? "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public override string ToString() => ColumnName;

    private string? Value(BenchmarkCase benchmarkCase)
    {
        var descriptor = benchmarkCase.Descriptor;
        var id = RunMetrics.CaseId(
            descriptor.Type.Name,
            descriptor.WorkloadMethod.Name,
            benchmarkCase.Parameters.Items.Select(p => (p.Name, p.Value ?? "null")).ToArray());
        return RunMetrics.Read(id) is { } metrics && metrics.TryGetValue(metric, out var value) ? value : null;
    }
}
