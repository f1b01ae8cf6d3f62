namespace OcrPipeline.Documents;

/// <summary>
/// Renders a page of text the way a scanner would deliver it: 300 dpi, uneven lighting, a slight
/// rotation, sensor noise and dust. Everything comes from the page index, so the same page (and the
/// same document hash) is produced in every process.
/// </summary>
public static class DocumentGenerator
{
    public const int Dpi = 300;
    public const int PageWidth = 1240;   // A6 at 300 dpi
    public const int PageHeight = 1748;
    public const int Scale = 3;          // one font pixel is 3×3 image pixels
    public const int Margin = 80;
    public const int LinePitch = 11 * Scale;

    private const byte Paper = 236;
    private const byte Ink = 38;

    public static GrayImage Render(int index, IReadOnlyList<string> lines)
    {
        var random = new SplitMix64(0xD0C0_0000UL + (ulong)index);
        var page = new GrayImage(PageWidth, PageHeight, Paper);
        for (var line = 0; line < lines.Count; line++)
        {
            DrawText(page, lines[line], Margin, Margin + (line * LinePitch));
        }

        // A scanner never feeds a page perfectly straight: ±0.4° to ±1.8°, never zero.
        var skew = (0.4 + (random.NextDouble() * 1.4)) * (random.Next(2) == 0 ? -1 : 1);
        var scanned = Rotate(page, skew);
        AddScannerNoise(scanned, random);
        return scanned;
    }

    private static void DrawText(GrayImage page, string text, int left, int top)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = char.ToUpperInvariant(text[i]);
            var x0 = left + (i * BitmapFont.Advance * Scale);
            for (var row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (var column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (BitmapFont.IsInk(c, column, row))
                    {
                        FillBlock(page, x0 + (column * Scale), top + (row * Scale));
                    }
                }
            }
        }
    }

    private static void FillBlock(GrayImage page, int x, int y)
    {
        for (var dy = 0; dy < Scale; dy++)
        {
            for (var dx = 0; dx < Scale; dx++)
            {
                page[x + dx, y + dy] = Ink;
            }
        }
    }

    /// <summary>Rotates about the centre with bilinear sampling, so edges come out gray as on a real scan.</summary>
    private static GrayImage Rotate(GrayImage source, double degrees)
    {
        var result = new GrayImage(source.Width, source.Height, Paper);
        var (sin, cos) = Math.SinCos(degrees * Math.PI / 180);
        var cx = source.Width / 2.0;
        var cy = source.Height / 2.0;
        for (var y = 0; y < result.Height; y++)
        {
            for (var x = 0; x < result.Width; x++)
            {
                // Inverse mapping: where in the straight page does this scanned pixel come from?
                var sx = (cos * (x - cx)) + (sin * (y - cy)) + cx;
                var sy = (-sin * (x - cx)) + (cos * (y - cy)) + cy;
                result[x, y] = ImageMath.SampleBilinear(source, sx, sy, Paper);
            }
        }

        return result;
    }

    private static void AddScannerNoise(GrayImage page, SplitMix64 random)
    {
        var pixels = page.Pixels;
        for (var y = 0; y < page.Height; y++)
        {
            // Uneven lighting: the page darkens a little towards the bottom right.
            var rowShade = 14.0 * y / page.Height;
            for (var x = 0; x < page.Width; x++)
            {
                var bits = random.NextUInt64();
                var noise = (int)(bits & 0xF) + (int)((bits >> 4) & 0xF) - 15;   // roughly bell-shaped, ±15
                var shade = rowShade + (10.0 * x / page.Width);
                var value = pixels[(y * page.Width) + x] - shade + noise;
                if (((bits >> 8) & 0x3FF) == 0)
                {
                    value = 20 + (int)((bits >> 20) & 0x3F);   // dust: about one pixel in a thousand
                }

                pixels[(y * page.Width) + x] = (byte)Math.Clamp(value, 0, 255);
            }
        }
    }
}
