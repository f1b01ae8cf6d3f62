using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CachedMethods.Benchmarks.Model;

namespace CachedMethods.Benchmarks.Serialization;

/// <summary>
/// Issue 10's "first lower-tier read of a new type in a fresh process". Not a BenchmarkDotNet group: the cost is
/// paid once per process, so each sample is a new process. For each serializer, one process stores an OCR result
/// on disk; then <see cref="Runs"/> fresh processes each open an engine over that folder and time, with a
/// Stopwatch inside the process, the first read from disk of any value (a string: the engine's own first use),
/// then the first read of the OCR result type, which nothing in the process has touched before. Beside the wall
/// time it reports the process's CPU time over the same read (Linux, <c>CLOCK_PROCESS_CPUTIME_ID</c>, every
/// thread): on a machine shared with other work, wall time includes waiting for a core, CPU time does not.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/CachedMethods.Benchmarks -- first-read [runs]</c>.
/// </remarks>
public static class FirstReadHarness
{
    public const string Command = "first-read";
    private const string ChildCommand = "first-read-child";
    private const string TextKey = "first-read:text";
    private const string DocumentKey = "first-read:ocr";
    private const int Runs = 10;

    private static readonly string[] Modes = ["generated", "contractless"];

    /// <summary>Handles the harness's commands; returns null when <paramref name="args"/> is not one of them.</summary>
    public static async Task<int?> TryRunAsync(string[] args) => args switch
    {
        [Command] => await RunAsync(Runs),
        [Command, var runs] => await RunAsync(int.Parse(runs, CultureInfo.InvariantCulture)),
        [ChildCommand, "write", var mode, var folder] => await WriteAsync(mode, folder),
        [ChildCommand, "read", var mode, var folder] => await ReadAsync(mode, folder),
        _ => null,
    };

    private static async Task<int> RunAsync(int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), "cachedmethods-benchmarks", $"first-read-{Guid.NewGuid():N}");
        try
        {
            Console.WriteLine($"First read from disk in a fresh process: {runs} processes per serializer, timed inside each process.");
            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at the start.");
            Console.WriteLine();
            Console.WriteLine("| serializer | first read of the run (a string), wall median / p90 | first read of the OCR type, wall median / p90 | OCR type, wall min / max | OCR type, CPU median / p90 |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var mode in Modes)
            {
                var folder = Path.Combine(root, mode);
                await ChildAsync("write", mode, folder);
                var text = new List<double>(runs);
                var document = new List<double>(runs);
                var documentCpu = new List<double>(runs);
                for (var i = 0; i < runs; i++)
                {
                    var parts = (await ChildAsync("read", mode, folder)).Split(' ');
                    text.Add(double.Parse(parts[0], CultureInfo.InvariantCulture));
                    document.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                    documentCpu.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
                }

                document.Sort();
                Console.WriteLine(
                    $"| {mode} | {Ms(Percentile(text, 50))} / {Ms(Percentile(text, 90))} | {Ms(Percentile(document, 50))} / {Ms(Percentile(document, 90))} | {Ms(document[0])} / {Ms(document[^1])} | {Ms(Percentile(documentCpu, 50))} / {Ms(Percentile(documentCpu, 90))} |");
            }

            Console.WriteLine();
            Console.WriteLine($"Load average at the end: {LoadAverage()}.");
            return 0;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<int> WriteAsync(string mode, string folder)
    {
        await using var cache = Engine(mode, folder);
        await cache.SetAsync(TextKey, "a value read first, so the engine's own first use is not counted as the type's");
        await cache.SetAsync(DocumentKey, OcrDocument.Sample());
        Console.WriteLine("written");
        return 0;
    }

    private static async Task<int> ReadAsync(string mode, string folder)
    {
        await using var cache = Engine(mode, folder);

        var start = Stopwatch.GetTimestamp();
        var text = await cache.GetAsync<string>(TextKey);
        var textElapsed = Stopwatch.GetElapsedTime(start);

        var cpuStart = ProcessCpuMilliseconds();
        start = Stopwatch.GetTimestamp();
        var document = await cache.GetAsync<OcrDocument>(DocumentKey);
        var documentElapsed = Stopwatch.GetElapsedTime(start);
        var documentCpu = ProcessCpuMilliseconds() - cpuStart;

        var disk = cache.GetStats()["disk"]!;
        if (!text.HasValue || !document.HasValue || disk.Hits != 2 || !document.Value!.SameContentAs(OcrDocument.Sample()))
        {
            Console.Error.WriteLine($"not two exact disk hits: text {text.HasValue}, document {document.HasValue}, disk hits {disk.Hits}");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{textElapsed.TotalMilliseconds:F3} {documentElapsed.TotalMilliseconds:F3} {documentCpu:F3}"));
        return 0;
    }

    /// <summary>Memory and disk, as a worker process runs; the memory tier starts empty in every process.</summary>
    private static CacheManager Engine(string mode, string folder) => new(new CacheOptions
    {
        DiskCachePath = folder,
        DiskCacheSizeGb = 1,
        MemoryCacheSizeMb = 64,
        DefaultTtlSeconds = 3600,
        Environment = CacheEnvironment.Main,
        Serializer = mode == "generated" ? new MessagePackCacheSerializer() : new ContractlessSerializer(),
    });

    /// <summary>Runs this program again with the child command; returns its one line of output.</summary>
    private static async Task<string> ChildAsync(string step, string mode, string folder)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(FirstReadHarness).Assembly.Location);
        }

        foreach (var arg in new[] { ChildCommand, step, mode, folder })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{step} ({mode}) exited with {process.ExitCode}: {await error}");
        }

        return (await output).Trim();
    }

    /// <summary>CPU time of every thread of this process, in milliseconds (NaN where the clock is not available).</summary>
    private static double ProcessCpuMilliseconds()
    {
        const int ProcessCpuTimeClock = 2; // CLOCK_PROCESS_CPUTIME_ID
        return OperatingSystem.IsLinux() && ClockGetTime(ProcessCpuTimeClock, out var time) == 0
            ? (time.Seconds * 1e3) + (time.Nanoseconds / 1e6)
            : double.NaN;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static string Ms(double value) => value.ToString(value < 10 ? "F2" : "F0", CultureInfo.InvariantCulture) + " ms";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
