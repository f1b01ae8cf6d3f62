namespace OcrPipeline.Ocr;

// Cached results are plain records: MessagePack's contractless resolver stores them by their public
// members, and the generator folds their shape into the key, so adding a member never reads old bytes.

/// <summary>What recognizing one page produced.</summary>
public sealed record OcrResult(
    string DocumentHash,
    string Engine,
    string ModelVersion,
    string Strategy,
    string Language,
    int Dpi,
    string Text,
    int LineCount,
    int WordCount,
    int CharacterCount,
    double MeanConfidence,
    PageLayout Layout,
    string ComputedBy,
    long ComputeMilliseconds);

/// <summary>The geometry of a page: where its lines and words are, in pixels of the analysed image.</summary>
public sealed record PageLayout(int Width, int Height, double SkewDegrees, int Threshold, TextLine[] Lines);

/// <summary>One line of text and its words.</summary>
public sealed record TextLine(Box Bounds, Box[] Words);

/// <summary>An axis-aligned rectangle.</summary>
public sealed record Box(int Left, int Top, int Width, int Height);

/// <summary>
/// A page after pre-processing (resampled, denoised, deskewed, binarized), one bit per pixel. The
/// expensive half of the built-in engine, cached on its own: a new language or model reuses it.
/// </summary>
public sealed record CleanPage(int Width, int Height, double SkewDegrees, int Threshold, byte[] Ink)
{
    public bool IsInk(int x, int y)
    {
        var bit = (y * Width) + x;
        return (Ink[bit >> 3] & (1 << (bit & 7))) != 0;
    }
}
