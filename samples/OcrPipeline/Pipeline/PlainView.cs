using System.Globalization;
using CachedMethods;
using OcrPipeline.Documents;

namespace OcrPipeline.Pipeline;

/// <summary>
/// Line-oriented output for logs and pipes: no colour, no carriage returns (they would only garble a
/// log), one line per document. The smoke tests read it.
/// </summary>
public sealed class PlainView(TextWriter output, string processName) : IRunView
{
    public void Header(PipelineHost host)
    {
        foreach (var (label, text) in DescribeRun(host))
        {
            output.WriteLine(label.Length == 0 ? text : $"  {label,-10} {text}");
        }
    }

    public void Cleared(long removed) => output.WriteLine($"  --clear    removed {removed} entries from every tier");

    public async Task<List<DocumentOutcome>> RunPassAsync(int pass, IReadOnlyList<SampleDocument> documents, Func<SampleDocument, Task<DocumentOutcome>> process)
    {
        if (pass == 1)
        {
            output.WriteLine();
        }

        var outcomes = new List<DocumentOutcome>();
        foreach (var document in documents)
        {
            var outcome = await process(document);
            outcomes.Add(outcome);
            Report($"pass {pass}", outcomes.Count, documents.Count, outcome);
        }

        return outcomes;
    }

    /// <summary>One document's line: "  pass 1 [3/8] doc-03-invoice  computed  1.20 s ...".</summary>
    public void Report(string pass, int done, int total, DocumentOutcome outcome) =>
        output.WriteLine($"  {pass} [{done}/{total}] {Describe(outcome, processName)}");

    public void PassDone(int pass, int documents, TimeSpan elapsed, string summary) =>
        output.WriteLine($"pass {pass}: {documents} documents in {Duration(elapsed)}; {summary}");

    public void Note(string text)
    {
        output.WriteLine();
        output.WriteLine(text);
    }

    public void Statistics(PipelineHost host, CacheStats stats, IReadOnlyList<IReadOnlyList<DocumentOutcome>> passes)
    {
        output.WriteLine();
        output.WriteLine($"cache statistics ({host.ProcessName}, both passes):");
        output.WriteLine(stats);
    }

    /// <summary>The header's rows: what runs, on which tiers, over which documents.</summary>
    public static IEnumerable<(string Label, string Text)> DescribeRun(PipelineHost host)
    {
        var arguments = host.Arguments;
        yield return ("", "OcrPipeline: [Cached] OCR over a batch of scanned documents");
        yield return ("engine", host.Engine.UsesTesseract
            ? host.Engine.Name
            : $"{host.Engine.Name}: it reads only pages printed in this sample's own font; install tesseract-ocr for real OCR");
        yield return ("cache", $"{host.DescribeTiers()} ({host.Cache.CacheEnvironment})");
        yield return ("documents", $"{host.Library.Documents.Count} generated scans, {DocumentGenerator.PageWidth}x{DocumentGenerator.PageHeight} px at {DocumentGenerator.Dpi} dpi; " +
                                   $"read at {arguments.Dpi} dpi, strategy {arguments.Strategy}, language {arguments.Language}");
    }

    public static string Describe(DocumentOutcome outcome, string processName)
    {
        var c = CultureInfo.InvariantCulture;
        var result = outcome.Result;
        var origin = !outcome.Computed && result.ComputedBy != processName ? $"  computed by {result.ComputedBy}" : "";
        return string.Create(c, $"{outcome.Document.Name,-26} {SourceLabel(outcome),-9} {Duration(outcome.Elapsed),9}  {result.LineCount,3} lines {result.WordCount,4} words  {outcome.Accuracy * 100,5:F1}% read{origin}");
    }

    /// <summary>"computed", "computed (page cached)", or the tier that served the result.</summary>
    public static string SourceLabel(DocumentOutcome outcome) => outcome.Computed && outcome.PageFromCache ? "computed (page cached)" : outcome.Source;

    public static string Duration(TimeSpan elapsed) => elapsed.TotalSeconds >= 1
        ? elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s"
        : elapsed.TotalMilliseconds.ToString(elapsed.TotalMilliseconds switch { >= 10 => "F0", >= 1 => "F1", _ => "F3" }, CultureInfo.InvariantCulture) + " ms";
}
