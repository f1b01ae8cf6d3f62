using System.Diagnostics;
using System.Globalization;
using CachedMethods;

namespace OcrPipeline.Pipeline;

/// <summary>
/// <c>--workers N</c>: starts N copies of this program as worker processes, the way a Celery server
/// runs its workers, relays their output line by line, and holds them between their two rounds so
/// that round 2 finds what the others computed.
/// </summary>
public static class WorkerPool
{
    private static readonly Lock OutputLock = new();

    public static async Task<int> RunAsync(PipelineArguments arguments, CancellationToken cancellationToken)
    {
        var output = Console.Out;
        var options = PipelineHost.CreateOptions(arguments);
        output.WriteLine($"OcrPipeline: {arguments.Workers} worker processes, {arguments.Documents} documents");
        if (options.Redis.IsConfigured)
        {
            output.WriteLine($"  shared     redis {PipelineHost.RedisAddress(options)}: a result one worker computes is a hit for every other");
        }
        else
        {
            output.WriteLine("  note       workers need REDIS_URL to share results. Without it each worker has only its own memory");
            output.WriteLine("             and disk folder, so every worker computes every document itself. Running anyway.");
        }

        if (arguments.Clear)
        {
            output.WriteLine($"  --clear    removed {await ClearAsync(options, arguments.Workers, cancellationToken)} entries from every tier");
        }

        output.WriteLine();
        var workers = Enumerable.Range(1, arguments.Workers).Select(id => Worker.Start(arguments, id)).ToList();
        try
        {
            // The barrier between rounds: round 2 starts only when every worker has finished round 1.
            await Task.WhenAll(workers.Select(w => w.RoundOneDone));
            foreach (var worker in workers)
            {
                await worker.ContinueAsync();
            }

            await Task.WhenAll(workers.Select(w => w.Completion.WaitAsync(cancellationToken)));
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }

        output.WriteLine();
        var failed = workers.Where(w => w.ExitCode != 0).ToList();
        foreach (var worker in failed)
        {
            output.WriteLine($"{worker.Name} failed with exit code {worker.ExitCode}");
        }

        var summaries = workers.Select(w => w.Summary).OfType<Dictionary<string, string>>().ToList();
        int Total(string key) => summaries.Sum(s => int.Parse(s[key], CultureInfo.InvariantCulture));
        output.WriteLine($"workers: {summaries.Count} finished, each a {string.Join("/", summaries.Select(s => s["environment"]).Distinct())} process " +
                         $"with a {string.Join("/", summaries.Select(s => s["memoryMb"]).Distinct())} MB memory bound");
        output.WriteLine($"documents computed: {Total("computed")} in total for {arguments.Documents} documents");
        output.WriteLine($"cross-worker hits: {Total("crossworker")}" + (options.Redis.IsConfigured
            ? " (results one worker computed and another read from redis)"
            : " (without REDIS_URL no worker sees another's results)"));
        return failed.Count == 0 && summaries.Count == workers.Count ? 0 : 1;
    }

    /// <summary>Empties Redis and the persistent tier, and the disk folder of every worker (each has its own).</summary>
    private static async Task<long> ClearAsync(CacheOptions options, int workers, CancellationToken cancellationToken)
    {
        long removed;
        await using (var main = new CacheManager(options))
        {
            removed = await main.ClearAsync(CacheTiers.All, cancellationToken);
        }

        if (options.S3.IsConfigured)
        {
            return removed;
        }

        for (var id = 1; id <= workers; id++)
        {
            var folder = new CacheOptions { DiskCachePath = options.DiskCachePath, WorkerId = Worker.NameOf(id), MemoryCacheSizeMb = 0 };
            await using var disk = new CacheManager(folder);
            removed += await disk.ClearAsync(CacheTiers.Persistent, cancellationToken);
        }

        return removed;
    }

    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _roundOneDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _stdout;
        private readonly Task _stderr;

        private Worker(string name, Process process)
        {
            Name = name;
            _process = process;
            _stdout = RelayAsync(process.StandardOutput, isError: false);
            _stderr = RelayAsync(process.StandardError, isError: true);
            Completion = Task.WhenAll(_stdout, _stderr, process.WaitForExitAsync());
        }

        public string Name { get; }

        public Task RoundOneDone => _roundOneDone.Task;

        public Task Completion { get; }

        /// <summary>The exit code once <see cref="Dispose"/> has run; -1 for a worker that had to be killed.</summary>
        public int ExitCode { get; private set; } = -1;

        public Dictionary<string, string>? Summary { get; private set; }

        public static string NameOf(int id) => $"ocr-worker-{id}";

        public static Worker Start(PipelineArguments arguments, int id)
        {
            // Re-run this program: through the apphost under `dotnet run`, through `dotnet exec` otherwise.
            var host = Environment.ProcessPath ?? "dotnet";
            var start = new ProcessStartInfo(host)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                start.ArgumentList.Add("exec");
                // AppContext.BaseDirectory, not Assembly.Location, which is empty in a single-file or NativeAOT app (IL3000).
                start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, typeof(WorkerPool).Assembly.GetName().Name + ".dll"));
            }

            foreach (var argument in arguments.ForWorker(id))
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["CELERY_WORKER_ID"] = NameOf(id);
            return new Worker(NameOf(id), Process.Start(start) ?? throw new InvalidOperationException($"{NameOf(id)} did not start."));
        }

        /// <summary>Lets the worker start round 2.</summary>
        public async Task ContinueAsync()
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("go");
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It already exited; its exit code tells why.
            }
        }

        public void Dispose()
        {
            if (_process.HasExited)
            {
                ExitCode = _process.ExitCode;
            }
            else
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private async Task RelayAsync(StreamReader reader, bool isError)
        {
            try
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line == WorkerRun.RoundOneDone)
                    {
                        _roundOneDone.TrySetResult();
                    }
                    else if (line.StartsWith(WorkerRun.SummaryPrefix, StringComparison.Ordinal))
                    {
                        Summary = line[WorkerRun.SummaryPrefix.Length..].Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
                    }
                    else
                    {
                        lock (OutputLock)
                        {
                            (isError ? Console.Error : Console.Out).WriteLine($"[{Name}] {line}");
                        }
                    }
                }
            }
            finally
            {
                // A worker that dies before round 2 must not hold the others at the barrier.
                _roundOneDone.TrySetResult();
            }
        }
    }
}
