using System.Globalization;
using CachedMethods;
using OcrPipeline.Documents;
using Spectre.Console;

namespace OcrPipeline.Pipeline;

/// <summary>The terminal view: a progress bar per pass, then per-document and per-tier tables and a latency chart.</summary>
public sealed class RichView(string processName) : IRunView
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public void Header(PipelineHost host)
    {
        var rows = PlainView.DescribeRun(host).ToList();
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(rows[0].Text)}[/]").LeftJustified());
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (label, text) in rows.Skip(1))
        {
            grid.AddRow(new Markup($"[grey]{label}[/]"), new Text(text));
        }

        AnsiConsole.Write(grid);
    }

    public void Cleared(long removed) => AnsiConsole.MarkupLine(C, $"[grey]--clear[/]    removed {removed} entries from every tier");

    public async Task<List<DocumentOutcome>> RunPassAsync(int pass, IReadOnlyList<SampleDocument> documents, Func<SampleDocument, Task<DocumentOutcome>> process)
    {
        var outcomes = new List<DocumentOutcome>();
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"pass {pass}", maxValue: documents.Count);
                foreach (var document in documents)
                {
                    task.Description = $"pass {pass}: reading {Markup.Escape(document.Name)}";
                    outcomes.Add(await process(document));
                    task.Increment(1);
                }
            });
        return outcomes;
    }

    public void PassDone(int pass, int documents, TimeSpan elapsed, string summary) =>
        AnsiConsole.MarkupLine($"[bold]pass {pass}[/]: {documents} documents in [yellow]{PlainView.Duration(elapsed)}[/]; {Markup.Escape(summary)}");

    public void Note(string text)
    {
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[green]{Markup.Escape(text)}[/]");
    }

    public void Statistics(PipelineHost host, CacheStats stats, IReadOnlyList<IReadOnlyList<DocumentOutcome>> passes)
    {
        AnsiConsole.WriteLine();
        AnsiConsole.Write(Documents(passes));
        AnsiConsole.Write(new Rule($"cache statistics ({Markup.Escape(host.ProcessName)}, both passes)").LeftJustified());
        AnsiConsole.Write(Methods(stats));
        AnsiConsole.Write(Tiers(stats));
        AnsiConsole.MarkupLine(C, $"{stats.TotalRequests} requests to cached methods, [bold]{stats.OverallHitRate:P1}[/] served from cache ({stats.Environment})");
        AnsiConsole.WriteLine();
        AnsiConsole.Write(LatencyChart(passes));
    }

    private Table Documents(IReadOnlyList<IReadOnlyList<DocumentOutcome>> passes)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("documents, pass 1 against pass 2")
            .AddColumn("document").AddColumn("pass 1").AddColumn(new TableColumn("time").RightAligned())
            .AddColumn("pass 2").AddColumn(new TableColumn("time").RightAligned()).AddColumn(new TableColumn("read").RightAligned());
        for (var i = 0; i < passes[0].Count; i++)
        {
            var (first, second) = (passes[0][i], passes[1][i]);
            table.AddRow(
                new Text(first.Document.Name),
                Source(first), new Text(PlainView.Duration(first.Elapsed)),
                Source(second), new Text(PlainView.Duration(second.Elapsed)),
                new Text(string.Create(C, $"{second.Accuracy * 100:F1}%")));
        }

        return table;
    }

    private Markup Source(DocumentOutcome outcome)
    {
        var origin = !outcome.Computed && outcome.Result.ComputedBy != processName ? $" (by {outcome.Result.ComputedBy})" : "";
        return new Markup($"[{TierColor(outcome.Source).ToMarkup()}]{Markup.Escape(PlainView.SourceLabel(outcome) + origin)}[/]");
    }

    /// <summary>Requests per cached method: what the program asked for, apart from the tiers' lookups below.</summary>
    private static Table Methods(CacheStats stats)
    {
        var table = new Table().Border(TableBorder.Simple).Title("requests per [[Cached]] method").AddColumn("method");
        foreach (var name in new[] { "requests", "hit rate", "memory", "lower tiers", "computed" })
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }

        foreach (var method in stats.Methods)
        {
            table.AddRow(
                Markup.Escape(method.Name), method.Requests.ToString(C), method.HitRate.ToString("P1", C),
                method.MemoryHits.ToString(C), method.LowerTierHits.ToString(C), method.FactoryRuns.ToString(C));
        }

        return table;
    }

    private static Table Tiers(CacheStats stats)
    {
        var table = new Table().Border(TableBorder.Simple).Title("lookups per tier").AddColumn("tier");
        foreach (var name in new[] { "hits", "misses", "hit rate", "entries", "size MB", "errors", "skipped" })
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }

        table.AddColumn("state");
        foreach (var tier in stats.Tiers)
        {
            table.AddRow(
                $"[{TierColor(tier.Name).ToMarkup()}]{tier.Name}[/]",
                tier.Hits.ToString(C), tier.Misses.ToString(C), tier.HitRate.ToString("P1", C),
                tier.Entries < 0 ? "?" : tier.Entries.ToString(C), tier.SizeBytes < 0 ? "?" : tier.SizeMb.ToString("F2", C),
                tier.Errors.ToString(C), tier.SkippedBySize.ToString(C), tier.Available ? "[green]up[/]" : "[red]down[/]");
        }

        return table;
    }

    /// <summary>Mean latency per source over both passes: how much each tier saves against computing.</summary>
    private static BarChart LatencyChart(IReadOnlyList<IReadOnlyList<DocumentOutcome>> passes)
    {
        var chart = new BarChart().Width(72).Label("[bold]mean latency per document by what served it (ms)[/]").ShowValues();
        foreach (var group in passes.SelectMany(p => p).GroupBy(o => o.Source).OrderByDescending(g => g.Average(o => o.Elapsed.TotalMilliseconds)))
        {
            chart.AddItem(group.Key, Math.Round(group.Average(o => o.Elapsed.TotalMilliseconds), 3), TierColor(group.Key));
        }

        return chart;
    }

    public static Color TierColor(string source) => source switch
    {
        "memory" => Color.Green,
        "redis" => Color.Red,
        "disk" => Color.Blue,
        "s3" => Color.Orange1,
        BatchRunner.ComputedSource => Color.Yellow,
        _ => Color.Grey,
    };
}
