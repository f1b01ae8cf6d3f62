using OcrPipeline.Documents;

namespace OcrPipeline.Ocr;

/// <summary>
/// Recognizes one character cell by template matching: the cell is sampled onto the grid of each
/// glyph of similar width and compared pixel by pixel with the built-in font.
/// </summary>
public static class GlyphMatcher
{
    // Grouped by width, so a cell is sampled once per width rather than once per glyph.
    private static readonly Template[] Templates = BitmapFont.Characters.Select(Template.Create).OrderBy(t => t.Width).ToArray();

    /// <summary>The best glyph for the ink in columns [left, right] of the band [top, bottom], and the share of agreeing cells.</summary>
    public static (char Glyph, double Score) Match(CleanPage page, int left, int right, int top, int bottom, double scale)
    {
        var widthInColumns = (right - left + 1) / scale;
        Span<bool> sampled = stackalloc bool[BitmapFont.GlyphWidth * BitmapFont.GlyphHeight];
        var sampledWidth = 0;
        var best = '?';
        var bestScore = double.MinValue;
        foreach (var template in Templates)
        {
            var mismatch = Math.Abs(template.Width - widthInColumns);
            if (mismatch > 1.25)
            {
                continue;
            }

            if (sampledWidth != template.Width)
            {
                Sample(page, left, right, top, bottom, template.Width, sampled);
                sampledWidth = template.Width;
            }

            var agree = 0;
            for (var i = 0; i < template.Width * BitmapFont.GlyphHeight; i++)
            {
                if (template.Ink[i] == sampled[i])
                {
                    agree++;
                }
            }

            var score = ((double)agree / (template.Width * BitmapFont.GlyphHeight)) - (0.04 * mismatch);
            if (score > bestScore)
            {
                bestScore = score;
                best = template.Glyph;
            }
        }

        return (best, Math.Clamp(bestScore, 0, 1));
    }

    /// <summary>Samples the cell onto a <paramref name="columns"/>×7 grid: a grid cell is ink when most of its pixels are.</summary>
    private static void Sample(CleanPage page, int left, int right, int top, int bottom, int columns, Span<bool> grid)
    {
        var width = right - left + 1.0;
        var height = bottom - top + 1.0;
        for (var row = 0; row < BitmapFont.GlyphHeight; row++)
        {
            var y0 = top + (int)(row * height / BitmapFont.GlyphHeight);
            var y1 = Math.Max(y0 + 1, top + (int)((row + 1) * height / BitmapFont.GlyphHeight));
            for (var column = 0; column < columns; column++)
            {
                var x0 = left + (int)(column * width / columns);
                var x1 = Math.Max(x0 + 1, left + (int)((column + 1) * width / columns));
                int ink = 0, all = 0;
                for (var y = y0; y < y1; y++)
                {
                    for (var x = x0; x < x1; x++)
                    {
                        all++;
                        if (page.IsInk(x, y))
                        {
                            ink++;
                        }
                    }
                }

                grid[(row * columns) + column] = ink * 2 > all;
            }
        }
    }

    /// <summary>A glyph cropped to its inked columns, row by row.</summary>
    private sealed record Template(char Glyph, int Width, bool[] Ink)
    {
        public static Template Create(char glyph)
        {
            var columns = Enumerable.Range(0, BitmapFont.GlyphWidth)
                .Where(column => Enumerable.Range(0, BitmapFont.GlyphHeight).Any(row => BitmapFont.IsInk(glyph, column, row)))
                .ToArray();
            var first = columns.Min();
            var width = columns.Max() - first + 1;
            var ink = new bool[width * BitmapFont.GlyphHeight];
            for (var row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (var column = 0; column < width; column++)
                {
                    ink[(row * width) + column] = BitmapFont.IsInk(glyph, first + column, row);
                }
            }

            return new Template(glyph, width, ink);
        }
    }
}
