using CachedMethods.Benchmarks.Model;

[assembly: CachedMethods.CacheSerializable(typeof(ArchivedDocument))]

namespace CachedMethods.Benchmarks.Model;

// The OCR result's twin: the same shape under other type names, so that the first-read harness can time the first
// read of a second new type once the engine has served one (the per-type cost the contractless resolver paid for
// every type), apart from what the process's first read pays once.

/// <summary>A box on the page (twin of <see cref="BoundingBox"/>).</summary>
public readonly record struct ArchivedBox(int X, int Y, int Width, int Height);

/// <summary>One word (twin of <see cref="OcrWord"/>).</summary>
public sealed record ArchivedWord(string Text, ArchivedBox Box, float Confidence);

/// <summary>One line (twin of <see cref="OcrLine"/>).</summary>
public sealed record ArchivedLine(ArchivedBox Box, float Confidence, IReadOnlyList<ArchivedWord> Words);

/// <summary>One page (twin of <see cref="OcrPageResult"/>).</summary>
public sealed record ArchivedPage(int Number, int Width, int Height, double SkewDegrees, string Language, IReadOnlyList<ArchivedLine> Lines);

/// <summary>An OCR result as an archive keeps it: the twin of <see cref="OcrDocument"/>, the same content and size.</summary>
public sealed record ArchivedDocument(string DocumentId, string Engine, DateTimeOffset RecognizedAt, double MeanConfidence, IReadOnlyList<ArchivedPage> Pages)
{
    /// <summary>The twin of <paramref name="document"/>.</summary>
    public static ArchivedDocument From(OcrDocument document) => new(
        document.DocumentId,
        document.Engine,
        document.RecognizedAt,
        document.MeanConfidence,
        [.. document.Pages.Select(static p => new ArchivedPage(p.Number, p.Width, p.Height, p.SkewDegrees, p.Language,
            [.. p.Lines.Select(static l => new ArchivedLine(Box(l.Box), l.Confidence,
                [.. l.Words.Select(static w => new ArchivedWord(w.Text, Box(w.Box), w.Confidence))]))]))]);

    /// <summary>Whether <paramref name="other"/> holds the same content as this.</summary>
    public bool SameContentAs(ArchivedDocument other) =>
        DocumentId == other.DocumentId && Engine == other.Engine && RecognizedAt == other.RecognizedAt && RecognizedAt.Offset == other.RecognizedAt.Offset
        && MeanConfidence.Equals(other.MeanConfidence) && Pages.Count == other.Pages.Count
        && Pages.Zip(other.Pages).All(static p =>
            p.First with { Lines = [] } == p.Second with { Lines = [] } && p.First.Lines.Count == p.Second.Lines.Count
            && p.First.Lines.Zip(p.Second.Lines).All(static l =>
                l.First.Box == l.Second.Box && l.First.Confidence.Equals(l.Second.Confidence) && l.First.Words.SequenceEqual(l.Second.Words)));

    private static ArchivedBox Box(BoundingBox box) => new(box.X, box.Y, box.Width, box.Height);
}
