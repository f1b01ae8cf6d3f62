using System.Diagnostics;
using System.Globalization;
using CachedMethods;
using OcrPipeline.Report;

namespace OcrPipeline.Pipeline;

/// <summary>The default run: the whole batch twice in this process, then the cache statistics and, if asked, the HTML report.</summary>
public static class MainRun
{
    public static async Task<int> RunAsync(PipelineArguments arguments, CancellationToken cancellationToken)
    {
        await using var host = PipelineHost.Start(arguments);
        var view = IRunView.ForConsole(arguments, host.ProcessName);
        view.Header(host);
        if (arguments.Clear)
        {
            view.Cleared(await host.Cache.ClearAsync(CacheTiers.All, cancellationToken));
        }

        var runner = new BatchRunner(host);
        var documents = host.Library.Documents;
        var times = new TimeSpan[2];
        var passes = new List<IReadOnlyList<DocumentOutcome>>();
        for (var pass = 1; pass <= 2; pass++)
        {
            var clock = Stopwatch.StartNew();
            var outcomes = await view.RunPassAsync(pass, documents, document => runner.ProcessAsync(document, cancellationToken));
            times[pass - 1] = clock.Elapsed;
            view.PassDone(pass, documents.Count, clock.Elapsed, Summarize(outcomes, pass == 1));
            passes.Add(outcomes);
        }

        var note = ClosingNote(host, passes[0]);
        if (passes[1].All(o => !o.Computed) && times[1] > TimeSpan.Zero)
        {
            note = string.Create(CultureInfo.InvariantCulture, $"pass 2 was {times[0] / times[1]:N0}x faster than pass 1: every result came from the cache, nothing was recognized again.\n{note}");
        }

        view.Note(note);

        // Taken before the report reads the cleaned pages back, so it counts the two passes only.
        var stats = host.Cache.GetStats();
        view.Statistics(host, stats, passes);
        if (arguments.Report is { } path)
        {
            await HtmlReport.WriteAsync(path, host, stats, passes, cancellationToken);
            Console.WriteLine();
            Console.WriteLine($"report written to {Path.GetFullPath(path)}");
        }

        return 0;
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

    private static string ClosingNote(PipelineHost host, IReadOnlyList<DocumentOutcome> firstPass)
    {
        if (firstPass.Any(o => !o.Computed))
        {
            return "Pass 1 was served from results an earlier run left in the cache. Add --clear to start cold.";
        }

        if (host.Cache.PersistentStore is null && host.Cache.RedisStore is null)
        {
            return "No tier outlives this process right now (see the warnings above), so the next run starts cold too.";
        }

        // The first tier below memory that answers is the one the next run reads from.
        var tier = host.Cache.RedisStore is not null ? "redis" : host.Cache.Options.S3.IsConfigured ? "s3" : "disk";
        return $"Run the same command again: pass 1 will then be served from the {tier} tier, which outlives this process.";
    }
}
