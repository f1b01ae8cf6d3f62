using System.Buffers.Binary;
using System.IO.Hashing;

namespace CachedMethods.Internal;

/// <summary>
/// The one versioned frame every tier below memory stores:
/// <c>"CM" | format | flags | created-at | expires-at | SHA-256 of the key | payload length | payload | XxHash64</c>.
/// </summary>
/// <remarks>
/// The checksum covers every byte before it, so a truncated, torn or bit-flipped entry is detected
/// and becomes a miss. The key digest ties the bytes to their key: an entry copied or renamed to the
/// wrong storage id is rejected instead of returned as another key's value.
/// </remarks>
internal static class Envelope
{
    public const byte FormatVersion = 1;
    public const int HeaderSize = 2 + 1 + 1 + 8 + 8 + 32 + 4;
    public const int TrailerSize = 8;

    public static byte[] Create(ReadOnlySpan<byte> keyDigest, ReadOnlySpan<byte> payload, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        var frame = new byte[HeaderSize + payload.Length + TrailerSize];
        var span = frame.AsSpan();
        span[0] = (byte)'C';
        span[1] = (byte)'M';
        span[2] = FormatVersion;
        span[3] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], createdAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], expiresAt.ToUnixTimeMilliseconds());
        keyDigest.CopyTo(span[20..52]);
        BinaryPrimitives.WriteInt32LittleEndian(span[52..], payload.Length);
        payload.CopyTo(span[HeaderSize..]);
        var body = span[..(HeaderSize + payload.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(span[body.Length..], XxHash64.HashToUInt64(body));
        return frame;
    }

    public static EnvelopeStatus TryRead(byte[] frame, ReadOnlySpan<byte> keyDigest, DateTimeOffset now, out EnvelopeContent content)
    {
        content = default;
        var span = frame.AsSpan();
        if (span.Length < HeaderSize + TrailerSize || span[0] != (byte)'C' || span[1] != (byte)'M')
        {
            return EnvelopeStatus.Corrupt;
        }

        if (span[2] != FormatVersion)
        {
            return EnvelopeStatus.UnknownFormat;
        }

        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[52..]);
        if (payloadLength < 0 || HeaderSize + (long)payloadLength + TrailerSize != span.Length)
        {
            return EnvelopeStatus.Corrupt;
        }

        var body = span[..(HeaderSize + payloadLength)];
        if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(span[body.Length..]))
        {
            return EnvelopeStatus.Corrupt;
        }

        if (!span[20..52].SequenceEqual(keyDigest))
        {
            return EnvelopeStatus.WrongKey;
        }

        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(span[4..]));
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(span[12..]));
        if (expiresAt <= now)
        {
            return EnvelopeStatus.Expired;
        }

        content = new EnvelopeContent(createdAt, expiresAt, new ReadOnlyMemory<byte>(frame, HeaderSize, payloadLength));
        return EnvelopeStatus.Valid;
    }
}

internal enum EnvelopeStatus
{
    Valid,
    Expired,
    Corrupt,
    WrongKey,
    UnknownFormat,
}

internal readonly record struct EnvelopeContent(DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, ReadOnlyMemory<byte> Payload);
