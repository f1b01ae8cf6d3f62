using MessagePack;

namespace CachedMethods;

/// <summary>
/// Reads the sizes an LZ4-compressed MessagePack payload declares, before MessagePack allocates its output.
/// </summary>
/// <remarks>
/// MessagePack 2.5 allocates the uncompressed length a payload declares, then decompresses into it: a frame
/// of 13 bytes that claims 60 MB makes every reader allocate 60 MB (issue 14, item 2). A real LZ4 block
/// cannot expand more than 255 times (a match length grows by at most 255 per input byte), so a claim beyond
/// that is a lie; a claim beyond the caller's limit is refused too. Both are checked here, with no
/// allocation, against the two layouts MessagePack writes: <c>ext 99 [int32 length][block]</c>
/// (<see cref="MessagePackCompression.Lz4Block"/>) and <c>[ext 98 [int32 length]…, bin block…]</c>
/// (<see cref="MessagePackCompression.Lz4BlockArray"/>).
/// </remarks>
internal static class Lz4FrameLimit
{
    private const sbyte Lz4BlockArray = 98;
    private const sbyte Lz4Block = 99;
    private const long MaxRatio = 255;
    private const long Slack = 64;

    /// <summary>
    /// The bytes the payload decompresses to as it declares them: its own length when it is not compressed.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// A declared length is negative, more than LZ4 can produce from the bytes present, or over <paramref name="maxBytes"/>.
    /// </exception>
    public static long Check(ReadOnlyMemory<byte> payload, long maxBytes)
    {
        try
        {
            return CheckCore(payload, maxBytes);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException)
        {
            throw new InvalidDataException("The payload's LZ4 header is malformed.", ex);
        }
    }

    private static long CheckCore(ReadOnlyMemory<byte> payload, long maxBytes)
    {
        var reader = new MessagePackReader(payload);
        if (reader.End)
        {
            return 0;
        }

        if (reader.NextMessagePackType == MessagePackType.Extension)
        {
            var header = reader.ReadExtensionFormatHeader();
            if (header.TypeCode != Lz4Block)
            {
                return payload.Length;
            }

            var body = new MessagePackReader(reader.ReadRaw(header.Length));
            var declared = body.ReadInt32();
            var compressed = body.Sequence.Slice(body.Position).Length;
            return Verify(declared, compressed, maxBytes);
        }

        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            return payload.Length;
        }

        var count = reader.ReadArrayHeader();
        if (count < 2 || reader.NextMessagePackType != MessagePackType.Extension)
        {
            return payload.Length;
        }

        var lengthsHeader = reader.ReadExtensionFormatHeader();
        if (lengthsHeader.TypeCode != Lz4BlockArray)
        {
            return payload.Length;
        }

        var lengths = new MessagePackReader(reader.ReadRaw(lengthsHeader.Length));
        long total = 0;
        for (var block = 1; block < count; block++)
        {
            var declared = lengths.ReadInt32();
            var compressed = reader.ReadBytes()?.Length ?? 0;
            total += Verify(declared, compressed, maxBytes);
            if (total > maxBytes)
            {
                throw TooLarge(total, maxBytes);
            }
        }

        return total;
    }

    private static long Verify(int declared, long compressed, long maxBytes)
    {
        if (declared < 0)
        {
            throw new InvalidDataException($"The payload declares a negative uncompressed length ({declared}).");
        }

        if (declared > compressed * MaxRatio + Slack)
        {
            throw new InvalidDataException(
                $"The payload declares {declared} uncompressed bytes from {compressed} compressed bytes, more than LZ4 can produce (255 to 1).");
        }

        return declared > maxBytes ? throw TooLarge(declared, maxBytes) : declared;
    }

    private static InvalidDataException TooLarge(long declared, long maxBytes) =>
        new($"The payload declares {declared} uncompressed bytes, over the limit of {maxBytes}.");
}
