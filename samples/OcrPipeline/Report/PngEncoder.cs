using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using OcrPipeline.Documents;

namespace OcrPipeline.Report;

/// <summary>Writes an 8-bit grayscale PNG: enough for the report's page images, with no imaging library.</summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(GrayImage image)
    {
        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;  // bits per sample
        header[9] = 0;  // grayscale
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(png, "IHDR", header);

        using var scanlines = new MemoryStream();
        using (var deflate = new ZLibStream(scanlines, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var y = 0; y < image.Height; y++)
            {
                deflate.WriteByte(0); // filter: none
                deflate.Write(image.Pixels, y * image.Width, image.Width);
            }
        }

        WriteChunk(png, "IDAT", scanlines.GetBuffer().AsSpan(0, (int)scanlines.Length));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A copy <paramref name="factor"/> times smaller on each side, each pixel the mean of its block.</summary>
    public static GrayImage Shrink(GrayImage source, int factor)
    {
        var target = new GrayImage(Math.Max(1, source.Width / factor), Math.Max(1, source.Height / factor));
        for (var y = 0; y < target.Height; y++)
        {
            for (var x = 0; x < target.Width; x++)
            {
                var sum = 0;
                for (var dy = 0; dy < factor; dy++)
                {
                    for (var dx = 0; dx < factor; dx++)
                    {
                        sum += source[Math.Min(source.Width - 1, (x * factor) + dx), Math.Min(source.Height - 1, (y * factor) + dy)];
                    }
                }

                target[x, y] = (byte)(sum / (factor * factor));
            }
        }

        return target;
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        png.Write(word);
    }
}
