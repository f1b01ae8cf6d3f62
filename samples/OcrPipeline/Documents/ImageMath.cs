namespace OcrPipeline.Documents;

/// <summary>Pixel sampling shared by the page generator and the OCR engine.</summary>
public static class ImageMath
{
    /// <summary>The bilinear interpolation of <paramref name="image"/> at (x, y); <paramref name="outside"/> beyond its edges.</summary>
    public static byte SampleBilinear(GrayImage image, double x, double y, byte outside)
    {
        if (x < 0 || y < 0 || x > image.Width - 1 || y > image.Height - 1)
        {
            return outside;
        }

        var x0 = (int)x;
        var y0 = (int)y;
        var x1 = Math.Min(x0 + 1, image.Width - 1);
        var y1 = Math.Min(y0 + 1, image.Height - 1);
        var fx = x - x0;
        var fy = y - y0;
        var pixels = image.Pixels;
        var width = image.Width;
        var top = (pixels[(y0 * width) + x0] * (1 - fx)) + (pixels[(y0 * width) + x1] * fx);
        var bottom = (pixels[(y1 * width) + x0] * (1 - fx)) + (pixels[(y1 * width) + x1] * fx);
        return (byte)((top * (1 - fy)) + (bottom * fy) + 0.5);
    }
}
