using System.Globalization;

namespace OcrPipeline.Pipeline;

/// <summary>
/// One worker process started by <c>--workers</c> (with <c>CELERY_WORKER_ID</c> set, so the engine
/// sizes itself as a worker). Round 1 computes this worker's share of the documents; after every
/// worker has finished round 1, round 2 reads all of them, so results computed by the other workers
/// arrive through Redis.
/// </summary>
public static class WorkerRun
{
    /// <summary>Written to stdout when round 1 is done; the worker then waits for a line on stdin.</summary>
    public const string RoundOneDone = "@round-1-done";

    /// <summary>Prefix of the last line: counts the main process adds up.</summary>
    public const string SummaryPrefix = "@summary ";

    public static async Task<int> RunAsync(PipelineArguments arguments, CancellationToken cancellationToken)
    {
        await using var host = PipelineHost.Start(arguments);
        var output = Console.Out;
        var id = arguments.WorkerId!.Value;
        var memoryMb = (host.Cache.MemoryStore?.CapacityBytes ?? 0) / (1024 * 1024);
        output.WriteLine($"environment {host.Cache.CacheEnvironment} (CELERY_WORKER_ID={host.ProcessName}), memory bound {memoryMb} MB");
        output.WriteLine($"tiers {host.DescribeTiers()}");

        var runner = new BatchRunner(host);
        var view = new PlainView(output, host.ProcessName);
        var documents = host.Library.Documents;
        var share = documents.Where(d => d.Index % arguments.WorkerCount == id - 1).ToList();
        for (var i = 0; i < share.Count; i++)
        {
            view.Report("round 1", i + 1, share.Count, await runner.ProcessAsync(share[i], cancellationToken));
        }

        output.WriteLine(RoundOneDone);
        output.Flush();
        await Console.In.ReadLineAsync(cancellationToken);

        var computed = 0;
        var fromOthers = 0;
        for (var i = 0; i < documents.Count; i++)
        {
            var outcome = await runner.ProcessAsync(documents[i], cancellationToken);
            computed += outcome.Computed ? 1 : 0;
            fromOthers += !outcome.Computed && outcome.Result.ComputedBy != host.ProcessName ? 1 : 0;
            view.Report("round 2", i + 1, documents.Count, outcome);
        }

        var stats = host.Cache.GetStats();
        output.WriteLine($"round 2: {fromOthers} of {documents.Count} results were computed by another process (cross-worker hits), {computed} computed here");
        foreach (var line in stats.ToString().Split('\n'))
        {
            output.WriteLine(line.TrimEnd('\r'));
        }

        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{SummaryPrefix}computed={host.Inner.Recognitions} crossworker={fromOthers} memoryMb={memoryMb} environment={host.Cache.CacheEnvironment}"));
        return 0;
    }
}
