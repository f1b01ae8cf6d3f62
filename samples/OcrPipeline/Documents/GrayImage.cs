using System.Globalization;
using System.Text;

namespace OcrPipeline.Documents;

/// <summary>An 8-bit grayscale image, 0 black to 255 white, stored row by row.</summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height, byte fill = 255)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Pixels = new byte[width * height];
        Array.Fill(Pixels, fill);
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public byte this[int x, int y]
    {
        get => Pixels[(y * Width) + x];
        set => Pixels[(y * Width) + x] = value;
    }

    /// <summary>Encodes the image as binary PGM (P5), the simplest format tesseract and image tools read.</summary>
    public byte[] ToPgm()
    {
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P5\n{Width} {Height}\n255\n"));
        var file = new byte[header.Length + Pixels.Length];
        header.CopyTo(file, 0);
        Pixels.CopyTo(file, header.Length);
        return file;
    }

    /// <summary>Decodes a binary PGM (P5) with 8-bit samples.</summary>
    /// <exception cref="FormatException">The bytes are not such a file.</exception>
    public static GrayImage FromPgm(ReadOnlySpan<byte> file)
    {
        var position = 0;
        if (NextToken(file, ref position) != "P5")
        {
            throw new FormatException("Not a binary PGM (P5) file.");
        }

        var width = int.Parse(NextToken(file, ref position), CultureInfo.InvariantCulture);
        var height = int.Parse(NextToken(file, ref position), CultureInfo.InvariantCulture);
        if (NextToken(file, ref position) != "255")
        {
            throw new FormatException("Only 8-bit PGM files are supported.");
        }

        position++; // The single whitespace byte after the header.
        if (file.Length - position < (long)width * height)
        {
            throw new FormatException("The PGM file is truncated.");
        }

        var image = new GrayImage(width, height);
        file.Slice(position, width * height).CopyTo(image.Pixels);
        return image;
    }

    private static string NextToken(ReadOnlySpan<byte> file, ref int position)
    {
        while (position < file.Length && char.IsWhiteSpace((char)file[position]))
        {
            position++;
        }

        var start = position;
        while (position < file.Length && !char.IsWhiteSpace((char)file[position]))
        {
            position++;
        }

        return Encoding.ASCII.GetString(file[start..position]);
    }
}
