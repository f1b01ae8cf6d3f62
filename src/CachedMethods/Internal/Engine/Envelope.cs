using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace CachedMethods.Internal;

/// <summary>
/// The one versioned frame every tier below memory stores:
/// <c>"CM" | format | flags | created-at | expires-at | retain-until | SHA-256 of the key | tags length |
/// type length | payload length | tag digests (16 bytes each) | value type | payload | [HMAC-SHA256] | XxHash64</c>.
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
/// <para>
/// Signed frames (opt-in, <see cref="CacheOptions.SigningKey"/>; flag bit 1): an HMAC-SHA256 under the shared
/// key over every byte before it (key digest, times, tags, value type, payload) follows the payload. A reader
/// with a key accepts only frames it verifies; an unsigned or mis-signed frame is a miss before its payload is
/// read. A checksum stops damage; only the signature stops someone who can write to the store.
/// </para>
/// </remarks>
internal static class Envelope
{
    /// <summary>2: tags are 16-byte digests (<see cref="TagDigest"/>), never text; frames of format 1 are misses.</summary>
    public const byte FormatVersion = 2;
    public const int HeaderSize = 2 + 1 + 1 + 8 + 8 + 8 + 32 + 4 + 4 + 4;
    public const int TrailerSize = 8;

    /// <summary>The bytes of a signature, present when <see cref="SignedFlag"/> is set.</summary>
    public const int SignatureSize = 32;

    /// <summary>Flag bit: an HMAC-SHA256 precedes the checksum.</summary>
    public const byte SignedFlag = 1;

    // DateTimeOffset.MinValue and MaxValue in unix milliseconds.
    private const long MinUnixMilliseconds = -62_135_596_800_000;
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    public static byte[] Create(ReadOnlySpan<byte> keyDigest, ReadOnlySpan<byte> payload, DateTimeOffset createdAt, DateTimeOffset expiresAt) =>
        Create(keyDigest, payload, createdAt, expiresAt, expiresAt, tags: null, valueType: default);

    /// <summary>Builds a frame; signed under <paramref name="signingKey"/> when there is one.</summary>
    public static byte[] Create(ReadOnlySpan<byte> keyDigest, ReadOnlySpan<byte> payload, DateTimeOffset createdAt, DateTimeOffset expiresAt, DateTimeOffset retainUntil, IReadOnlyList<string>? tags, ReadOnlySpan<byte> valueType, byte[]? signingKey = null)
    {
        var tagBytes = EncodeTags(tags);
        var signatureSize = signingKey is null ? 0 : SignatureSize;
        var frame = new byte[HeaderSize + tagBytes.Length + valueType.Length + payload.Length + signatureSize + TrailerSize];
        var span = frame.AsSpan();
        span[0] = (byte)'C';
        span[1] = (byte)'M';
        span[2] = FormatVersion;
        span[3] = signingKey is null ? (byte)0 : SignedFlag;
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
        if (signingKey is not null)
        {
            var signed = span[..^(TrailerSize + SignatureSize)];
            HMACSHA256.HashData(signingKey, signed, span.Slice(signed.Length, SignatureSize));
        }

        var body = span[..^TrailerSize];
        BinaryPrimitives.WriteUInt64LittleEndian(span[body.Length..], XxHash64.HashToUInt64(body));
        return frame;
    }

    /// <summary>
    /// Checks a frame. <see cref="EnvelopeStatus.Valid"/> means it may be served: fresh, or past
    /// <c>expires-at</c> but within <c>retain-until</c> (then <see cref="EnvelopeContent.IsStale"/>). With a
    /// <paramref name="signingKey"/>, only a frame signed under it may be valid.
    /// </summary>
    public static EnvelopeStatus TryRead(byte[] frame, ReadOnlySpan<byte> keyDigest, DateTimeOffset now, out EnvelopeContent content, byte[]? signingKey = null)
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
        var isSigned = (span[3] & SignedFlag) != 0;
        var signatureSize = isSigned ? SignatureSize : 0;
        if (tagsLength < 0 || typeLength < 0 || payloadLength < 0 || HeaderSize + (long)tagsLength + typeLength + payloadLength + signatureSize + TrailerSize != span.Length)
        {
            return EnvelopeStatus.Corrupt;
        }

        var body = span[..^TrailerSize];
        if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(span[body.Length..]))
        {
            return EnvelopeStatus.Corrupt;
        }

        if (signingKey is not null && !HasValidSignature(span, isSigned, signingKey, out var status))
        {
            return status;
        }

        if (!span[28..60].SequenceEqual(keyDigest))
        {
            return EnvelopeStatus.WrongKey;
        }

        // Times are bytes like any other: one outside what DateTimeOffset holds is a damaged frame, not an exception.
        if (!TryReadTime(span[4..], out var createdAt) || !TryReadTime(span[12..], out var expiresAt) || !TryReadTime(span[20..], out var retainUntil))
        {
            return EnvelopeStatus.Corrupt;
        }

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

    private static bool TryReadTime(ReadOnlySpan<byte> field, out DateTimeOffset time)
    {
        var milliseconds = BinaryPrimitives.ReadInt64LittleEndian(field);
        var valid = milliseconds is >= MinUnixMilliseconds and <= MaxUnixMilliseconds;
        time = valid ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : default;
        return valid;
    }

    private static bool HasValidSignature(ReadOnlySpan<byte> frame, bool isSigned, byte[] signingKey, out EnvelopeStatus status)
    {
        if (!isSigned)
        {
            status = EnvelopeStatus.Unsigned;
            return false;
        }

        var signed = frame[..^(TrailerSize + SignatureSize)];
        Span<byte> expected = stackalloc byte[SignatureSize];
        HMACSHA256.HashData(signingKey, signed, expected);
        status = EnvelopeStatus.BadSignature;
        return CryptographicOperations.FixedTimeEquals(expected, frame.Slice(signed.Length, SignatureSize));
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
    /// <summary>A signing key is set and the frame carries no signature.</summary>
    Unsigned,
    /// <summary>A signing key is set and the frame's signature is not its.</summary>
    BadSignature,
}

internal readonly record struct EnvelopeContent(
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RetainUntil,
    IReadOnlyList<string> Tags,
    ReadOnlyMemory<byte> ValueType,
    ReadOnlyMemory<byte> Payload,
    bool IsStale);
