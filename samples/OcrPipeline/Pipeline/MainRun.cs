using System.Diagnostics;
using System.Globalization;
using CachedMethods;
using OcrPipeline.Documents;

namespace OcrPipeline.Pipeline;

/// <summary>The default run: the whole batch twice in this process, then the cache statistics.</summary>
public static class MainRun
{
    public static async Task<int> RunAsync(PipelineArguments arguments, CancellationToken cancellationToken)
    {
        await using var host = PipelineHost.Start(arguments);
        var output = Console.Out;
        WriteHeader(output, host);
        if (arguments.Clear)
        {
            var removed = await host.Cache.ClearAsync(CacheTiers.All, cancellationToken);
            output.WriteLine($"  --clear    removed {removed} entries from every tier");
        }

        output.WriteLine();
        var runner = new BatchRunner(host);
        var view = ProgressView.ForConsole(host.ProcessName);
        var documents = host.Library.Documents;
        var times = new TimeSpan[2];
        var passes = new List<List<DocumentOutcome>>();
        for (var pass = 1; pass <= 2; pass++)
        {
            var outcomes = new List<DocumentOutcome>();
            var clock = Stopwatch.StartNew();
            foreach (var document in documents)
            {
                view.Working($"pass {pass}", outcomes.Count, documents.Count, document.Name);
                var outcome = await runner.ProcessAsync(document, cancellationToken);
                outcomes.Add(outcome);
                view.Report($"pass {pass}", outcomes.Count, documents.Count, outcome);
            }

            times[pass - 1] = clock.Elapsed;
            view.Finish();
            output.WriteLine($"pass {pass}: {documents.Count} documents in {ProgressView.Duration(clock.Elapsed)}; {Summarize(outcomes, pass == 1)}");
            passes.Add(outcomes);
        }

        output.WriteLine();
        if (passes[1].All(o => !o.Computed) && times[1] > TimeSpan.Zero)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass 2 was {times[0] / times[1]:N0}x faster than pass 1: every result came from the cache, nothing was recognized again."));
        }

        output.WriteLine(ClosingNote(host, passes[0]));
        output.WriteLine();
        output.WriteLine($"cache statistics ({host.ProcessName}, both passes):");
        output.WriteLine(host.Cache.GetStats());
        return 0;
    }

    public static void WriteHeader(TextWriter output, PipelineHost host)
    {
        var arguments = host.Arguments;
        output.WriteLine("OcrPipeline: [Cached] OCR over a batch of scanned documents");
        output.WriteLine($"  engine     {host.Engine.Name}{(host.Engine.UsesTesseract ? "" : "; install tesseract-ocr to use real tesseract")}");
        output.WriteLine($"  cache      {host.DescribeTiers()} ({host.Cache.Environment})");
        output.WriteLine($"  documents  {host.Library.Documents.Count} generated scans, {DocumentGenerator.PageWidth}x{DocumentGenerator.PageHeight} px at {DocumentGenerator.Dpi} dpi; " +
                         $"read at {arguments.Dpi} dpi, strategy {arguments.Strategy}, language {arguments.Language}");
    }

    /// <summary>"8 computed" or "8 of 8 served from the cache (disk)", naming every tier that served.</summary>
    public static string Summarize(IReadOnlyCollection<DocumentOutcome> outcomes, bool firstPass)
    {
        var served = outcomes.Where(o => !o.Computed).ToList();
        var computed = outcomes.Count - served.Count;
        if (served.Count == 0)
        {
            return $"{computed} computed, none served from the cache";
        }

        var tiers = served.GroupBy(o => o.Source).Select(g => (Tier: g.Key, Count: g.Count())).ToList();
        var from = tiers.Count == 1 ? tiers[0].Tier : string.Join(", ", tiers.Select(t => $"{t.Count} {t.Tier}"));
        var text = $"{served.Count} of {outcomes.Count} served from the cache ({from})";
        if (computed > 0)
        {
            text += $", {computed} computed";
        }

        return firstPass && tiers.Any(t => t.Tier != "memory") ? text + ": results of an earlier run" : text;
    }

    private static string ClosingNote(PipelineHost host, List<DocumentOutcome> firstPass)
    {
        if (firstPass.Any(o => !o.Computed))
        {
            return "Pass 1 was served from results an earlier run left in the cache. Add --clear to start cold.";
        }

        if (host.Cache.PersistentTier is null && host.Cache.RedisTier is null)
        {
            return "No tier outlives this process right now (see the warnings above), so the next run starts cold too.";
        }

        // The first tier below memory that answers is the one the next run reads from.
        var tier = host.Cache.RedisTier is not null ? "redis" : host.Cache.Options.S3.IsConfigured ? "s3" : "disk";
        return $"Run the same command again: pass 1 will then be served from the {tier} tier, which outlives this process.";
    }
}
