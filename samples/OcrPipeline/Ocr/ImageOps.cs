using OcrPipeline.Documents;

namespace OcrPipeline.Ocr;

/// <summary>The pixel stages of the built-in engine: resample, flatten lighting, denoise, threshold, deskew.</summary>
public static class ImageOps
{
    private const byte White = 255;

    /// <summary>Scales the image by <paramref name="factor"/> with bilinear sampling.</summary>
    public static GrayImage Resample(GrayImage source, double factor)
    {
        var result = new GrayImage(Math.Max(1, (int)(source.Width * factor)), Math.Max(1, (int)(source.Height * factor)));
        for (var y = 0; y < result.Height; y++)
        {
            for (var x = 0; x < result.Width; x++)
            {
                result[x, y] = ImageMath.SampleBilinear(source, x / factor, y / factor, White);
            }
        }

        return result;
    }

    /// <summary>
    /// Divides out uneven lighting: the background is the brightest value of each block, interpolated
    /// between blocks, and every pixel is scaled so the background becomes white.
    /// </summary>
    public static void FlattenBackground(GrayImage image, int block = 48)
    {
        var columns = (image.Width + block - 1) / block;
        var rows = (image.Height + block - 1) / block;
        var background = new GrayImage(columns, rows, 0);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var value = image[x, y];
                if (value > background[x / block, y / block])
                {
                    background[x / block, y / block] = value;
                }
            }
        }

        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var bx = Math.Clamp((x - (block / 2.0)) / block, 0, columns - 1);
                var by = Math.Clamp((y - (block / 2.0)) / block, 0, rows - 1);
                var light = ImageMath.SampleBilinear(background, bx, by, White);
                image[x, y] = (byte)Math.Min(255, image[x, y] * 255 / Math.Max(1, (int)light));
            }
        }
    }

    /// <summary>A 3×3 median filter: removes dust and sensor noise, keeps stroke edges.</summary>
    public static GrayImage Median3x3(GrayImage source)
    {
        var result = new GrayImage(source.Width, source.Height);
        var width = source.Width;
        var input = source.Pixels;
        var output = result.Pixels;
        Span<byte> window = stackalloc byte[9];
        for (var y = 1; y < source.Height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                var i = 0;
                for (var dy = -1; dy <= 1; dy++)
                {
                    var row = (y + dy) * width;
                    window[i++] = input[row + x - 1];
                    window[i++] = input[row + x];
                    window[i++] = input[row + x + 1];
                }

                output[(y * width) + x] = MedianOfNine(window);
            }
        }

        return result;
    }

    /// <summary>Otsu's threshold: the gray level that best separates ink from paper in the histogram.</summary>
    public static int OtsuThreshold(GrayImage image)
    {
        Span<long> histogram = stackalloc long[256];
        foreach (var value in image.Pixels)
        {
            histogram[value]++;
        }

        long total = image.Pixels.Length;
        double sumAll = 0;
        for (var i = 0; i < 256; i++)
        {
            sumAll += i * (double)histogram[i];
        }

        double sumBackground = 0;
        long weightBackground = 0;
        var best = 0.0;
        var threshold = 127;
        for (var t = 0; t < 256; t++)
        {
            weightBackground += histogram[t];
            var weightForeground = total - weightBackground;
            if (weightBackground == 0 || weightForeground == 0)
            {
                continue;
            }

            sumBackground += t * (double)histogram[t];
            var meanBackground = sumBackground / weightBackground;
            var meanForeground = (sumAll - sumBackground) / weightForeground;
            var between = (double)weightBackground * weightForeground * (meanBackground - meanForeground) * (meanBackground - meanForeground);
            if (between > best)
            {
                best = between;
                threshold = t;
            }
        }

        return threshold;
    }

    /// <summary>
    /// The page's rotation in degrees: the angle at which the ink's horizontal projection is sharpest
    /// (text lines become narrow peaks), searched coarse then fine within ±<paramref name="range"/>.
    /// </summary>
    public static double EstimateSkew(GrayImage image, int threshold, double range, double step)
    {
        var xs = new List<float>();
        var ys = new List<float>();
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (image[x, y] <= threshold)
                {
                    xs.Add(x - (image.Width / 2f));
                    ys.Add(y - (image.Height / 2f));
                }
            }
        }

        var histogram = new int[(image.Width + image.Height) * 2];
        var best = 0.0;
        var bestScore = -1.0;
        for (var angle = -range; angle <= range + 1e-9; angle += step)
        {
            Consider(angle);
        }

        var coarse = best;
        for (var angle = coarse - step; angle <= coarse + step + 1e-9; angle += step / 8)
        {
            Consider(angle);
        }

        return Math.Round(best, 3);

        void Consider(double angle)
        {
            var (sin, cos) = Math.SinCos(angle * Math.PI / 180);
            Array.Clear(histogram);
            var offset = histogram.Length / 2;
            for (var i = 0; i < xs.Count; i++)
            {
                histogram[offset + (int)Math.Round((-sin * xs[i]) + (cos * ys[i]))]++;
            }

            double score = 0;
            foreach (var count in histogram)
            {
                score += (double)count * count;
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = angle;
            }
        }
    }

    /// <summary>Rotates the image by <paramref name="degrees"/> about its centre (bilinear), filling with white.</summary>
    public static GrayImage Rotate(GrayImage source, double degrees)
    {
        var result = new GrayImage(source.Width, source.Height);
        var (sin, cos) = Math.SinCos(degrees * Math.PI / 180);
        var cx = source.Width / 2.0;
        var cy = source.Height / 2.0;
        for (var y = 0; y < result.Height; y++)
        {
            for (var x = 0; x < result.Width; x++)
            {
                var sx = (cos * (x - cx)) + (sin * (y - cy)) + cx;
                var sy = (-sin * (x - cx)) + (cos * (y - cy)) + cy;
                result[x, y] = ImageMath.SampleBilinear(source, sx, sy, White);
            }
        }

        return result;
    }

    /// <summary>One bit per pixel: set where the pixel is at or below <paramref name="threshold"/>.</summary>
    public static byte[] Binarize(GrayImage image, int threshold)
    {
        var bits = new byte[((image.Width * image.Height) + 7) / 8];
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            if (pixels[i] <= threshold)
            {
                bits[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return bits;
    }

    /// <summary>A black-on-white image of a clean page, for engines that read image files.</summary>
    public static GrayImage ToImage(CleanPage page)
    {
        var image = new GrayImage(page.Width, page.Height);
        for (var y = 0; y < page.Height; y++)
        {
            for (var x = 0; x < page.Width; x++)
            {
                if (page.IsInk(x, y))
                {
                    image[x, y] = 0;
                }
            }
        }

        return image;
    }

    private static byte MedianOfNine(Span<byte> v)
    {
        // Insertion sort of nine values on the stack: no allocation, and fast for so few.
        for (var i = 1; i < v.Length; i++)
        {
            var value = v[i];
            var j = i - 1;
            while (j >= 0 && v[j] > value)
            {
                v[j + 1] = v[j];
                j--;
            }

            v[j + 1] = value;
        }

        return v[4];
    }
}
