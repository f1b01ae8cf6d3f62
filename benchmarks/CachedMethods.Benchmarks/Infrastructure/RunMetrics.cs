using System.Globalization;
using System.Text.Json;

namespace CachedMethods.Benchmarks.Infrastructure;

/// <summary>
/// Numbers a benchmark measures itself and BenchmarkDotNet does not (factory calls and waits of the
/// stampede, whether the generator's steps stayed cached). The benchmark process writes them to one
/// file per case; <see cref="MetricColumn"/> reads them back in the host process for the summary table.
/// </summary>
/// <remarks>
/// The host puts the folder in <see cref="FolderVariable"/> before it starts any benchmark process, and
/// the processes inherit it; a process started another way falls back to a temp folder.
/// </remarks>
public static class RunMetrics
{
    /// <summary>The environment variable that carries the folder from the host to the benchmark processes.</summary>
    public const string FolderVariable = "CACHEDMETHODS_BENCHMARK_METRICS";

    private static string Folder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), "cachedmethods-benchmarks", "metrics");

    /// <summary>Starts a run: points the benchmark processes at <paramref name="folder"/> and empties it.</summary>
    public static void StartRun(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        Environment.SetEnvironmentVariable(FolderVariable, folder);
    }

    /// <summary>The id of one case: <c>Type.Method[Param=Value,...]</c>, the same in both processes.</summary>
    public static string CaseId(string type, string method, params (string Name, object Value)[] parameters) =>
        $"{type}.{method}[{string.Join(",", parameters.Select(p => p.Name + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)))}]";

    /// <summary>Records the metrics of one case (called in the benchmark process).</summary>
    public static void Write(string caseId, IReadOnlyDictionary<string, string> metrics)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PathOf(caseId), JsonSerializer.Serialize(metrics));
        foreach (var (name, value) in metrics)
        {
            // Also in the log, for a run whose summary table is lost.
            Console.WriteLine($"// metric {caseId} {name} = {value}");
        }
    }

    /// <summary>The metrics of one case, or <see langword="null"/> when it recorded none.</summary>
    public static IReadOnlyDictionary<string, string>? Read(string caseId)
    {
        var path = PathOf(caseId);
        return File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) : null;
    }

    private static string PathOf(string caseId)
    {
        var name = string.Concat(caseId.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '=' ? c : '_'));
        return Path.Combine(Folder, name + ".json");
    }
}
