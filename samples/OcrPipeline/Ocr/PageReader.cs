using System.Text;
using OcrPipeline.Documents;

namespace OcrPipeline.Ocr;

/// <summary>What the built-in engine read from a clean page.</summary>
public sealed record PageReading(PageLayout Layout, string Text, int Characters, double MeanConfidence);

/// <summary>
/// Segments a clean page into lines (horizontal projection), characters (vertical gaps within a line)
/// and words (gaps wider than a space), and reads each character with <see cref="GlyphMatcher"/>.
/// </summary>
public static class PageReader
{
    private const int MinLineHeight = 6;
    private const int MinGlyphInk = 8;

    public static PageReading Read(CleanPage page, CancellationToken cancellationToken)
    {
        var lines = new List<TextLine>();
        var text = new StringBuilder();
        var characters = 0;
        var confidence = 0.0;
        foreach (var (top, bottom) in FindLines(page))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scale = (bottom - top + 1) / (double)BitmapFont.GlyphHeight;
            var glyphs = FindGlyphs(page, top, bottom, scale);
            if (glyphs.Count == 0)
            {
                continue;
            }

            var words = new List<Box>();
            var wordStart = glyphs[0].Left;
            for (var i = 0; i < glyphs.Count; i++)
            {
                var (left, right) = glyphs[i];
                var (glyph, score) = GlyphMatcher.Match(page, left, right, top, bottom, scale);
                text.Append(glyph);
                characters++;
                confidence += score;

                var spaces = i + 1 < glyphs.Count ? SpacesBetween(right, glyphs[i + 1].Left, scale) : -1;
                if (spaces != 0)
                {
                    words.Add(new Box(wordStart, top, right - wordStart + 1, bottom - top + 1));
                    if (spaces > 0)
                    {
                        text.Append(' ', spaces);
                        wordStart = glyphs[i + 1].Left;
                    }
                }
            }

            text.Append('\n');
            var bounds = new Box(glyphs[0].Left, top, glyphs[^1].Right - glyphs[0].Left + 1, bottom - top + 1);
            lines.Add(new TextLine(bounds, words.ToArray()));
        }

        var layout = new PageLayout(page.Width, page.Height, page.SkewDegrees, page.Threshold, lines.ToArray());
        return new PageReading(layout, text.ToString().TrimEnd('\n'), characters, characters == 0 ? 0 : confidence / characters);
    }

    /// <summary>Bands of rows holding ink, separated by blank rows.</summary>
    private static List<(int Top, int Bottom)> FindLines(CleanPage page)
    {
        var profile = new int[page.Height];
        for (var y = 0; y < page.Height; y++)
        {
            for (var x = 0; x < page.Width; x++)
            {
                if (page.IsInk(x, y))
                {
                    profile[y]++;
                }
            }
        }

        // A few stray specks in a row are noise, not text.
        var bands = new List<(int, int)>();
        var start = -1;
        for (var y = 0; y <= page.Height; y++)
        {
            var inked = y < page.Height && profile[y] > 3;
            if (inked && start < 0)
            {
                start = y;
            }
            else if (!inked && start >= 0)
            {
                if (y - start >= MinLineHeight)
                {
                    bands.Add((start, y - 1));
                }

                start = -1;
            }
        }

        return bands;
    }

    /// <summary>Runs of inked columns within a band; runs as wide as two glyphs are split.</summary>
    private static List<(int Left, int Right)> FindGlyphs(CleanPage page, int top, int bottom, double scale)
    {
        var profile = new int[page.Width];
        for (var x = 0; x < page.Width; x++)
        {
            for (var y = top; y <= bottom; y++)
            {
                if (page.IsInk(x, y))
                {
                    profile[x]++;
                }
            }
        }

        var glyphs = new List<(int, int)>();
        var start = -1;
        var ink = 0;
        for (var x = 0; x <= page.Width; x++)
        {
            var inked = x < page.Width && profile[x] > 0;
            if (inked)
            {
                start = start < 0 ? x : start;
                ink += profile[x];
            }
            else if (start >= 0)
            {
                if (ink >= MinGlyphInk)
                {
                    Split(start, x - 1, scale, glyphs);
                }

                start = -1;
                ink = 0;
            }
        }

        return glyphs;
    }

    private static void Split(int left, int right, double scale, List<(int, int)> glyphs)
    {
        // Two glyphs whose one-column gap closed up in the scan: cut at every glyph advance.
        var advance = BitmapFont.Advance * scale;
        var count = Math.Max(1, (int)Math.Round((right - left + 1 + scale) / advance));
        for (var i = 0; i < count; i++)
        {
            var from = left + (int)Math.Round(i * advance);
            var to = i == count - 1 ? right : left + (int)Math.Round(((i + 1) * advance) - scale) - 1;
            glyphs.Add((from, Math.Min(Math.Max(from, to), right)));
        }
    }

    /// <summary>Spaces between two glyphs: a gap of one blank column is none, each further advance is one.</summary>
    private static int SpacesBetween(int right, int nextLeft, double scale)
    {
        var gapColumns = (nextLeft - right - 1) / scale;
        return Math.Max(0, (int)Math.Floor((gapColumns - 0.5) / BitmapFont.Advance));
    }
}
