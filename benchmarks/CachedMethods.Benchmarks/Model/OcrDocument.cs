using CachedMethods.Benchmarks.Model;

// The generator writes the formatters of the OCR result (the engine is called directly, not through [Cached]).
[assembly: CachedMethods.CacheSerializable(typeof(OcrDocument))]

namespace CachedMethods.Benchmarks.Model;

/// <summary>A box on the page, in pixels.</summary>
public readonly record struct BoundingBox(int X, int Y, int Width, int Height);

/// <summary>One recognized word.</summary>
public sealed record OcrWord(string Text, BoundingBox Box, float Confidence);

/// <summary>One line of words.</summary>
public sealed record OcrLine(BoundingBox Box, float Confidence, IReadOnlyList<OcrWord> Words);

/// <summary>One page: its size, the skew the recognizer corrected, and its lines.</summary>
public sealed record OcrPageResult(int Number, int Width, int Height, double SkewDegrees, string Language, IReadOnlyList<OcrLine> Lines);

/// <summary>
/// An OCR result as a recognizer returns it: pages, lines, words with their boxes and confidences. The
/// serialization group and the first-read harness use <see cref="Sample"/>, about 10 KiB of MessagePack.
/// </summary>
public sealed record OcrDocument(string DocumentId, string Engine, DateTimeOffset RecognizedAt, double MeanConfidence, IReadOnlyList<OcrPageResult> Pages)
{
    private static readonly string[] Vocabulary =
    [
        "invoice", "total", "amount", "due", "date", "customer", "number", "the", "of", "and", "payment", "terms",
        "net", "thirty", "days", "bank", "transfer", "reference", "quantity", "unit", "price", "description", "tax", "VAT",
        "Müller", "straße", "€", "1,250.00", "2026-03-01", "page", "signature", "approved",
    ];

    /// <summary>A deterministic result of <paramref name="pages"/> pages of 14 lines of 7 words: 4 pages are about 10 KiB as the generated formatters write them.</summary>
    public static OcrDocument Sample(int pages = 4)
    {
        var random = new Random(20260301);
        var result = new List<OcrPageResult>(pages);
        for (var p = 0; p < pages; p++)
        {
            var lines = new List<OcrLine>(14);
            for (var l = 0; l < 14; l++)
            {
                var y = 120 + (l * 64) + random.Next(4);
                var words = new List<OcrWord>(7);
                var x = 100;
                for (var w = 0; w < 7; w++)
                {
                    var text = Vocabulary[random.Next(Vocabulary.Length)];
                    var width = (text.Length * 22) + random.Next(6);
                    words.Add(new OcrWord(text, new BoundingBox(x, y, width, 40 + random.Next(6)), 0.6f + (random.Next(400) / 1000f)));
                    x += width + 18 + random.Next(10);
                }

                lines.Add(new OcrLine(new BoundingBox(100, y, x - 100, 46), 0.8f + (random.Next(200) / 1000f), words));
            }

            result.Add(new OcrPageResult(p + 1, 2480, 3508, (random.NextDouble() - 0.5) * 2, "eng+deu", lines));
        }

        return new OcrDocument("sha256:9f2c4e0b7d1a", "builtin-5x7/3", new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(1)), 0.874, result);
    }

    /// <summary>Whether <paramref name="other"/> holds the same content (records compare lists by reference).</summary>
    public bool SameContentAs(OcrDocument other) =>
        DocumentId == other.DocumentId && Engine == other.Engine && RecognizedAt == other.RecognizedAt && RecognizedAt.Offset == other.RecognizedAt.Offset
        && MeanConfidence.Equals(other.MeanConfidence) && Pages.Count == other.Pages.Count
        && Pages.Zip(other.Pages).All(static p =>
            p.First with { Lines = [] } == p.Second with { Lines = [] } && p.First.Lines.Count == p.Second.Lines.Count
            && p.First.Lines.Zip(p.Second.Lines).All(static l =>
                l.First.Box == l.Second.Box && l.First.Confidence.Equals(l.Second.Confidence) && l.First.Words.SequenceEqual(l.Second.Words)));
}
