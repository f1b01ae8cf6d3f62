using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Order;

namespace CachedMethods.Benchmarks.Infrastructure;

/// <summary>The configuration every group runs with; the job comes from the command line (default: BenchmarkDotNet's).</summary>
public static class BenchmarkConfig
{
    public static IConfig Create(string artifactsPath) => ManualConfig.Create(DefaultConfig.Instance)
        .WithArtifactsPath(artifactsPath)
        .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared))
        .AddColumn(StatisticColumn.OperationsPerSecond)
        .AddColumn(
            new MetricColumn("FactoryCalls", "Factory calls", "Factory runs per stampede of 1,000 callers (min-max over every stampede of the process)"),
            new MetricColumn("WaitP50", "Wait p50", "Median wait of a caller, from its call to its result, over the last 20 stampedes (the measured ones)"),
            new MetricColumn("WaitP99", "Wait p99", "99th-percentile wait of a caller over the last 20 stampedes (the measured ones)"),
            new MetricColumn("AllStepsCached", "All steps cached", "After an unrelated edit, whether every tracked generator step and output was Cached or Unchanged"),
            new MetricColumn("Bytes", "Bytes", "Serialized size of the value: as a tier stores it (Stored) or MessagePack alone (Raw)"));
}
