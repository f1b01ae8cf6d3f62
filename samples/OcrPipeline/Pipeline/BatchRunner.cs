using System.Diagnostics;
using OcrPipeline.Documents;
using OcrPipeline.Ocr;

namespace OcrPipeline.Pipeline;

/// <summary>How one document was served: "computed", or the tier that had it ("memory", "redis", "disk", "s3").</summary>
public sealed record DocumentOutcome(SampleDocument Document, OcrResult Result, string Source, bool PageFromCache, TimeSpan Elapsed, double Accuracy)
{
    public bool Computed => Source == BatchRunner.ComputedSource;
}

/// <summary>Runs documents through the cached service one at a time and finds out where each result came from.</summary>
public sealed class BatchRunner(PipelineHost host)
{
    public const string ComputedSource = "computed";

    public async Task<DocumentOutcome> ProcessAsync(SampleDocument document, CancellationToken cancellationToken)
    {
        var arguments = host.Arguments;
        var before = Snapshot();
        var clock = Stopwatch.StartNew();
        var result = await host.Ocr.RecognizeAsync(
            document.Hash, arguments.Dpi, arguments.Strategy, arguments.Language, host.Engine.ModelVersion, host.Log, cancellationToken);
        clock.Stop();
        var after = Snapshot();

        // One document at a time, so the counters that moved during this call belong to it.
        var source = after.Recognitions > before.Recognitions
            ? ComputedSource
            : after.Hits.FirstOrDefault(t => t.Value > before.Hits.GetValueOrDefault(t.Key)).Key ?? "cache";
        var pageFromCache = source == ComputedSource && after.Preparations == before.Preparations;
        return new DocumentOutcome(document, result, source, pageFromCache, clock.Elapsed, TextAccuracy.Score(document.Text, result.Text));
    }

    private (int Recognitions, int Preparations, Dictionary<string, long> Hits) Snapshot() =>
        (host.Inner.Recognitions, host.Preprocessor.Preparations, host.Cache.GetStats().Tiers.ToDictionary(t => t.Name, t => t.Hits));
}
