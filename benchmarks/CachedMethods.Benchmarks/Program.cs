using BenchmarkDotNet.Running;
using CachedMethods.Benchmarks.Infrastructure;

namespace CachedMethods.Benchmarks;

/// <summary>
/// Runs the groups of issue 4 with BenchmarkDotNet's command line: <c>--filter</c>, <c>--anyCategories</c>,
/// <c>--job</c>, <c>--list flat</c>; or <c>first-read</c> (<see cref="Serialization.FirstReadHarness"/>). See docs/benchmarks.md.
/// </summary>
public static class Program
{
    /// <returns>0 when every selected benchmark ran; 1 when one failed or a setup check threw.</returns>
    public static async Task<int> Main(string[] args)
    {
        // Issue 10's first read in a fresh process needs a process per sample, not BenchmarkDotNet's loop.
        if (await Serialization.FirstReadHarness.TryRunAsync(args) is { } exitCode)
        {
            return exitCode;
        }

        var artifacts = Path.Combine(ProjectFolder(), "BenchmarkDotNet.Artifacts");
        RunMetrics.StartRun(Path.Combine(artifacts, "metrics"));
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create(artifacts)).ToList();
        var failed = summaries.Where(static s => s.HasCriticalValidationErrors || s.Reports.Any(static r => !r.Success)).ToList();
        foreach (var summary in failed)
        {
            Console.Error.WriteLine($"Failed: {summary.Title}");
        }

        return failed.Count == 0 ? 0 : 1;
    }

    /// <summary>This project's folder, so the artifacts land beside it whatever the working directory.</summary>
    private static string ProjectFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CachedMethods.Benchmarks.csproj")))
            {
                return folder.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
