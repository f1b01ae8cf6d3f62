using System.Buffers.Binary;
using System.IO.Hashing;

namespace CachedMethods.Internal;

/// <summary>
/// The one versioned frame every tier below memory stores:
/// <c>"CM" | format | flags | created-at | expires-at | retain-until | SHA-256 of the key | tags length |
/// type length | payload length | tag digests (16 bytes each) | value type | payload | XxHash64</c>.
/// </summary>
/// <remarks>
/// <para>
/// The checksum covers every byte before it, so a truncated, torn or bit-flipped entry is detected
/// and becomes a miss. The key digest ties the bytes to their key: an entry copied or renamed to the
/// wrong storage id is rejected instead of returned as another key's value.
/// </para>
/// <para>
/// <c>expires-at</c> is when the value stops being fresh; <c>retain-until</c> is when it may no longer be
/// served even as a fail-safe fallback (equal to <c>expires-at</c> unless fail-safe is on). Tags are kept,
/// as digests only (no key or argument text is stored), so that a reader can compare the entry's age
/// with the tags' invalidation times. The value type's name is kept so that bytes written as one type are never read back as another: a name-matching
/// deserializer would otherwise fill a different record's missing members with defaults.
/// </para>
/// </remarks>
internal static class Envelope
{
    /// <summary>2: tags are 16-byte digests (<see cref="TagDigest"/>), never text; frames of format 1 are misses.</summary>
    public const byte FormatVersion = 2;
    public const int HeaderSize = 2 + 1 + 1 + 8 + 8 + 8 + 32 + 4 + 4 + 4;
    public const int TrailerSize = 8;

    public static byte[] Create(ReadOnlySpan<byte> keyDigest, ReadOnlySpan<byte> payload, DateTimeOffset createdAt, DateTimeOffset expiresAt) =>
        Create(keyDigest, payload, createdAt, expiresAt, expiresAt, tags: null, valueType: default);

    public static byte[] Create(ReadOnlySpan<byte> keyDigest, ReadOnlySpan<byte> payload, DateTimeOffset createdAt, DateTimeOffset expiresAt, DateTimeOffset retainUntil, IReadOnlyList<string>? tags, ReadOnlySpan<byte> valueType)
    {
        var tagBytes = EncodeTags(tags);
        var frame = new byte[HeaderSize + tagBytes.Length + valueType.Length + payload.Length + TrailerSize];
        var span = frame.AsSpan();
        span[0] = (byte)'C';
        span[1] = (byte)'M';
        span[2] = FormatVersion;
        span[3] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], createdAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], expiresAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], Max(retainUntil, expiresAt).ToUnixTimeMilliseconds());
        keyDigest.CopyTo(span[28..60]);
        BinaryPrimitives.WriteInt32LittleEndian(span[60..], tagBytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[64..], valueType.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[68..], payload.Length);
        tagBytes.CopyTo(span[HeaderSize..]);
        valueType.CopyTo(span[(HeaderSize + tagBytes.Length)..]);
        payload.CopyTo(span[(HeaderSize + tagBytes.Length + valueType.Length)..]);
        var body = span[..^TrailerSize];
        BinaryPrimitives.WriteUInt64LittleEndian(span[body.Length..], XxHash64.HashToUInt64(body));
        return frame;
    }

    /// <summary>
    /// Checks a frame. <see cref="EnvelopeStatus.Valid"/> means it may be served: fresh, or past
    /// <c>expires-at</c> but within <c>retain-until</c> (then <see cref="EnvelopeContent.IsStale"/>).
    /// </summary>
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

        var tagsLength = BinaryPrimitives.ReadInt32LittleEndian(span[60..]);
        var typeLength = BinaryPrimitives.ReadInt32LittleEndian(span[64..]);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[68..]);
        if (tagsLength < 0 || typeLength < 0 || payloadLength < 0 || HeaderSize + (long)tagsLength + typeLength + payloadLength + TrailerSize != span.Length)
        {
            return EnvelopeStatus.Corrupt;
        }

        var body = span[..^TrailerSize];
        if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(span[body.Length..]))
        {
            return EnvelopeStatus.Corrupt;
        }

        if (!span[28..60].SequenceEqual(keyDigest))
        {
            return EnvelopeStatus.WrongKey;
        }

        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(span[4..]));
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(span[12..]));
        var retainUntil = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(span[20..]));
        if (retainUntil <= now)
        {
            return EnvelopeStatus.Expired;
        }

        var tags = DecodeTags(span.Slice(HeaderSize, tagsLength));
        if (tags is null)
        {
            return EnvelopeStatus.Corrupt;
        }

        content = new EnvelopeContent(
            createdAt,
            expiresAt,
            retainUntil,
            tags,
            new ReadOnlyMemory<byte>(frame, HeaderSize + tagsLength, typeLength),
            new ReadOnlyMemory<byte>(frame, HeaderSize + tagsLength + typeLength, payloadLength),
            expiresAt <= now);
        return EnvelopeStatus.Valid;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static byte[] EncodeTags(IReadOnlyList<string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return [];
        }

        var bytes = new byte[tags.Count * TagDigest.Size];
        for (var i = 0; i < tags.Count; i++)
        {
            TagDigest.WriteTo(tags[i], bytes.AsSpan(i * TagDigest.Size));
        }

        return bytes;
    }

    private static string[]? DecodeTags(ReadOnlySpan<byte> block)
    {
        if (block.Length % TagDigest.Size != 0)
        {
            return null;
        }

        var tags = new string[block.Length / TagDigest.Size];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = Convert.ToHexStringLower(block.Slice(i * TagDigest.Size, TagDigest.Size));
        }

        return tags;
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

internal readonly record struct EnvelopeContent(
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RetainUntil,
    IReadOnlyList<string> Tags,
    ReadOnlyMemory<byte> ValueType,
    ReadOnlyMemory<byte> Payload,
    bool IsStale);
