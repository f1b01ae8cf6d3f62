using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CachedMethods.Samples.Tests;

/// <summary>What a sample process printed, and how it ended.</summary>
public sealed record SampleRun(int ExitCode, string Output, string Error)
{
    /// <summary>The first capture group of <paramref name="pattern"/> in the output, as a number.</summary>
    public int Number(string pattern)
    {
        var match = Regex.Match(Output, pattern, RegexOptions.Multiline);
        Assert.True(match.Success, $"No line matches /{pattern}/ in:\n{this}");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void HasLine(string pattern) =>
        Assert.True(Regex.IsMatch(Output, pattern, RegexOptions.Multiline), $"No line matches /{pattern}/ in:\n{this}");

    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs samples/OcrPipeline (built and copied beside the tests) with <c>dotnet exec</c>.</summary>
internal static class SampleProcess
{
    // The sample reads the cache settings from the environment: none may leak in from the machine.
    private static readonly string[] CacheVariables =
    [
        "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD", "MEMORY_CACHE_SIZE_MB", "DISK_CACHE_SIZE_GB",
        "DISK_CACHE_PATH", "S3_CACHE_BUCKET", "S3_CACHE_REGION", "S3_CACHE_SERVICE_URL", "S3_CACHE_COMPATIBILITY_MODE",
        "CELERY_WORKER_ID", "CACHE_WORKER_ID", "AWS_BATCH_JOB_ID",
    ];

    public static async Task<SampleRun> RunOcrPipelineAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OcrPipeline.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in CacheVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();

        // A liveness bound, not a timing assertion: a hung sample fails the test instead of the run.
        using var watchdog = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(watchdog.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"OcrPipeline did not finish:\n{new SampleRun(-1, await output, await error)}");
        }

        return new SampleRun(process.ExitCode, await output, await error);
    }
}
