using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using CachedMethods.Benchmarks.Model;

namespace CachedMethods.Benchmarks.Serialization;

/// <summary>
/// Issue 10's "first lower-tier read of a new type in a fresh process". Not a BenchmarkDotNet group: the cost is
/// paid once per process, so each sample is a new process. For each serializer, one process stores an OCR result
/// and its twin (<see cref="ArchivedDocument"/>: the same shape and content under other type names) on disk; then
/// <see cref="Runs"/> fresh processes each open an engine over that folder and time, with a Stopwatch inside the
/// process, (a) the first read from disk of the process, the OCR result, and then (b) the first read of the twin,
/// a second new type read once the engine has served one: (a) pays what the process's first read pays once (the
/// engine's disk path, MessagePack's and LZ4's first use, all JIT-compiled) plus the type's own cost; (b) is the
/// type's own cost, which the contractless resolver paid again for every type. Beside the wall time it reports
/// the process's CPU time over the same read (Linux, <c>CLOCK_PROCESS_CPUTIME_ID</c>, every thread: on a machine
/// shared with other work, wall time includes waiting for a core, CPU time does not) and what the JIT did during
/// it (<see cref="JitInfo"/>: methods compiled, time spent compiling).
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/CachedMethods.Benchmarks -- first-read [runs]</c>. The
/// children inherit the environment, so <c>DOTNET_TieredPGO=0</c>, <c>DOTNET_ReadyToRun=0</c> and the like can be
/// compared by setting them on the command.
/// </remarks>
public static class FirstReadHarness
{
    public const string Command = "first-read";
    private const string ChildCommand = "first-read-child";
    private const string DocumentKey = "first-read:ocr";
    private const string ArchiveKey = "first-read:archive";
    private const string TextKey = "first-read:text";
    private const string LongTextKey = "first-read:long-text";
    private const int Runs = 10;

    private static readonly string[] Modes = ["generated", "contractless"];

    /// <summary>About 3 KiB: over the 1 KiB threshold, so it is stored LZ4-compressed.</summary>
    private static readonly string LongText = string.Concat(Enumerable.Range(0, 300).Select(static i => $"word {i}, "));

    private static readonly string[] Steps =
    [
        "a short string: the engine's first disk read, MessagePack's first use",
        "a 3 KiB string: LZ4's first use",
        "the OCR type: its own cost",
        "the twin type: its own cost",
    ];

    /// <summary>Handles the harness's commands; returns null when <paramref name="args"/> is not one of them.</summary>
    public static async Task<int?> TryRunAsync(string[] args) => args switch
    {
        [Command] => await RunAsync(Runs),
        [Command, var runs] => await RunAsync(int.Parse(runs, CultureInfo.InvariantCulture)),
        [ChildCommand, "write", var mode, var folder] => await WriteAsync(mode, folder),
        [ChildCommand, "read", var mode, var folder] => await ReadAsync(mode, folder),
        [ChildCommand, "steps", var mode, var folder] => await ReadStepsAsync(mode, folder),
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
            Console.WriteLine("| serializer | (a) first read of the process (OCR type): wall median / p90 | CPU median | JIT: methods / ms, median | (b) first read of a second new type: wall median / p90 | CPU median | JIT: methods / ms, median |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var mode in Modes)
            {
                var folder = Path.Combine(root, mode);
                await ChildAsync("write", mode, folder);
                var samples = new List<double[]>(runs);
                for (var i = 0; i < runs; i++)
                {
                    samples.Add([.. (await ChildAsync("read", mode, folder)).Split(' ').Select(static v => double.Parse(v, CultureInfo.InvariantCulture))]);
                }

                string Column(int index, int percent) => Ms(Percentile([.. samples.Select(s => s[index])], percent));
                string Jit(int index) => string.Create(CultureInfo.InvariantCulture, $"{Percentile([.. samples.Select(s => s[index])], 50):F0} / {Column(index + 1, 50)}");
                Console.WriteLine($"| {mode} | {Column(0, 50)} / {Column(0, 90)} | {Column(1, 50)} | {Jit(2)} | {Column(4, 50)} / {Column(4, 90)} | {Column(5, 50)} | {Jit(6)} |");
            }

            // What (a) is made of: the same reads after cheaper ones that pay the process's first-use costs one by one.
            Console.WriteLine();
            Console.WriteLine("Step by step (generated): four first reads in each fresh process, in this order.");
            Console.WriteLine();
            Console.WriteLine("| read | wall median / p90 | CPU median | JIT: methods / ms, median |");
            Console.WriteLine("|---|---|---|---|");
            var steps = new List<double[]>(runs);
            for (var i = 0; i < runs; i++)
            {
                steps.Add([.. (await ChildAsync("steps", Modes[0], Path.Combine(root, Modes[0]))).Split(' ').Select(static v => double.Parse(v, CultureInfo.InvariantCulture))]);
            }

            for (var step = 0; step < Steps.Length; step++)
            {
                var at = step * 4;
                double Median(int index) => Percentile([.. steps.Select(s => s[at + index])], 50);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Steps[step]} | {Ms(Median(0))} / {Ms(Percentile([.. steps.Select(s => s[at])], 90))} | {Ms(Median(1))} | {Median(2):F0} / {Ms(Median(3))} |"));
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
        await cache.SetAsync(DocumentKey, OcrDocument.Sample());
        await cache.SetAsync(ArchiveKey, ArchivedDocument.From(OcrDocument.Sample()));
        await cache.SetAsync(TextKey, "a short value");
        await cache.SetAsync(LongTextKey, LongText);
        Console.WriteLine("written");
        return 0;
    }

    private static async Task<int> ReadAsync(string mode, string folder)
    {
        await using var cache = Engine(mode, folder);

        var (document, first) = await TimeAsync(() => cache.GetAsync<OcrDocument>(DocumentKey));
        var (archive, second) = await TimeAsync(() => cache.GetAsync<ArchivedDocument>(ArchiveKey));

        var disk = cache.GetStats()["disk"]!;
        if (!document.HasValue || !archive.HasValue || disk.Hits != 2
            || !document.Value!.SameContentAs(OcrDocument.Sample()) || !archive.Value!.SameContentAs(ArchivedDocument.From(OcrDocument.Sample())))
        {
            Console.Error.WriteLine($"not two exact disk hits: document {document.HasValue}, archive {archive.HasValue}, disk hits {disk.Hits}");
            return 1;
        }

        Console.WriteLine(string.Join(' ', first.Concat(second).Select(static v => v.ToString("F3", CultureInfo.InvariantCulture))));
        return 0;
    }

    private static async Task<int> ReadStepsAsync(string mode, string folder)
    {
        await using var cache = Engine(mode, folder);

        var (text, textCosts) = await TimeAsync(() => cache.GetAsync<string>(TextKey));
        var (longText, longTextCosts) = await TimeAsync(() => cache.GetAsync<string>(LongTextKey));
        var (document, documentCosts) = await TimeAsync(() => cache.GetAsync<OcrDocument>(DocumentKey));
        var (archive, archiveCosts) = await TimeAsync(() => cache.GetAsync<ArchivedDocument>(ArchiveKey));

        if (cache.GetStats()["disk"]!.Hits != 4 || longText.Value != LongText || !text.HasValue || !document.HasValue || !archive.HasValue)
        {
            Console.Error.WriteLine("not four exact disk hits");
            return 1;
        }

        Console.WriteLine(string.Join(' ', textCosts.Concat(longTextCosts).Concat(documentCosts).Concat(archiveCosts).Select(static v => v.ToString("F3", CultureInfo.InvariantCulture))));
        return 0;
    }

    /// <summary>Runs <paramref name="read"/> once; returns its result and its wall ms, CPU ms, methods JIT-compiled and JIT ms.</summary>
    private static async Task<(T Result, double[] Costs)> TimeAsync<T>(Func<ValueTask<T>> read)
    {
        var methods = JitInfo.GetCompiledMethodCount();
        var jit = JitInfo.GetCompilationTime();
        var cpu = ProcessCpuMilliseconds();
        var start = Stopwatch.GetTimestamp();
        var result = await read();
        var wall = Stopwatch.GetElapsedTime(start);
        return (result, [wall.TotalMilliseconds, ProcessCpuMilliseconds() - cpu, JitInfo.GetCompiledMethodCount() - methods, (JitInfo.GetCompilationTime() - jit).TotalMilliseconds]);
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
