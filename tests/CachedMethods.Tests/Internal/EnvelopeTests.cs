using CsCheck;
using System.Security.Cryptography;
using System.Text;
using CachedMethods.Internal;

namespace CachedMethods.Tests.Internal;

public class EnvelopeTests
{
    private static readonly DateTimeOffset Created = new(2024, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expires = Created.AddHours(1);
    private static readonly byte[] Digest = SHA256.HashData(Encoding.UTF8.GetBytes("the key"));
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("page one: 42 words of recognized text");

    private static byte[] Frame() => Envelope.Create(Digest, Payload, Created, Expires);

    private static EnvelopeStatus Read(byte[] frame, DateTimeOffset? now = null) =>
        Envelope.TryRead(frame, Digest, now ?? Created.AddMinutes(1), out _);

    [Fact]
    public void A_frame_round_trips_payload_and_times()
    {
        var status = Envelope.TryRead(Frame(), Digest, Created.AddMinutes(1), out var content);

        Assert.Equal(EnvelopeStatus.Valid, status);
        Assert.Equal(Payload, content.Payload.ToArray());
        Assert.Equal(Created, content.CreatedAt);
        Assert.Equal(Expires, content.ExpiresAt);
    }

    [Fact]
    public void An_empty_payload_round_trips()
    {
        var frame = Envelope.Create(Digest, [], Created, Expires);

        Assert.Equal(Envelope.HeaderSize + Envelope.TrailerSize, frame.Length);
        Assert.Equal(EnvelopeStatus.Valid, Envelope.TryRead(frame, Digest, Created, out var content));
        Assert.True(content.Payload.IsEmpty);
    }

    [Fact]
    public void The_frame_starts_with_the_magic_and_the_format_version()
    {
        var frame = Frame();
        Assert.Equal((byte)'C', frame[0]);
        Assert.Equal((byte)'M', frame[1]);
        Assert.Equal(Envelope.FormatVersion, frame[2]);
        Assert.Equal(Envelope.HeaderSize + Payload.Length + Envelope.TrailerSize, frame.Length);
    }

    [Fact]
    public void Every_truncation_is_corrupt()
    {
        var frame = Frame();
        for (var length = 0; length < frame.Length; length++)
        {
            Assert.True(Read(frame[..length]) == EnvelopeStatus.Corrupt, $"A frame cut to {length} of {frame.Length} bytes was not reported corrupt.");
        }
    }

    [Fact]
    public void A_frame_with_extra_bytes_is_corrupt()
    {
        Assert.Equal(EnvelopeStatus.Corrupt, Read([.. Frame(), 0]));
    }

    [Fact]
    public void Every_single_flipped_byte_is_detected()
    {
        var frame = Frame();
        for (var i = 0; i < frame.Length; i++)
        {
            var damaged = (byte[])frame.Clone();
            damaged[i] ^= 0x20;
            var expected = i == 2 ? EnvelopeStatus.UnknownFormat : EnvelopeStatus.Corrupt;
            Assert.True(Read(damaged) == expected, $"Flipping byte {i} gave {Read(damaged)}, expected {expected}.");
        }
    }

    [Fact]
    public void A_frame_of_another_key_is_rejected()
    {
        var otherDigest = SHA256.HashData(Encoding.UTF8.GetBytes("another key"));
        Assert.Equal(EnvelopeStatus.WrongKey, Envelope.TryRead(Frame(), otherDigest, Created, out _));
    }

    [Fact]
    public void A_frame_is_expired_from_its_expiry_time_on()
    {
        Assert.Equal(EnvelopeStatus.Valid, Read(Frame(), Expires.AddMilliseconds(-1)));
        Assert.Equal(EnvelopeStatus.Expired, Read(Frame(), Expires));
        Assert.Equal(EnvelopeStatus.Expired, Read(Frame(), Expires.AddDays(1)));
    }

    [Fact]
    public void An_unknown_format_version_is_reported_as_such()
    {
        var frame = Frame();
        frame[2] = Envelope.FormatVersion + 1;
        Assert.Equal(EnvelopeStatus.UnknownFormat, Read(frame));
    }

    [Fact]
    public void A_signed_frame_reads_under_its_key_and_is_refused_unsigned_or_under_another_key()
    {
        var key = Encoding.UTF8.GetBytes("fleet-signing-key-1");
        var signed = Envelope.Create(Digest, Payload, Created, Expires, Expires, tags: null, "T"u8, key);
        var unsigned = Envelope.Create(Digest, Payload, Created, Expires, Expires, tags: null, "T"u8);

        Assert.Equal(EnvelopeStatus.Valid, Envelope.TryRead(signed, Digest, Created, out var content, key));
        Assert.Equal(Payload, content.Payload.ToArray());
        Assert.Equal(EnvelopeStatus.Unsigned, Envelope.TryRead(unsigned, Digest, Created, out _, key));
        Assert.Equal(EnvelopeStatus.BadSignature, Envelope.TryRead(signed, Digest, Created, out _, Encoding.UTF8.GetBytes("another-signing-key")));
        // A reader without a key still reads a signed frame (it skips the signature).
        Assert.Equal(EnvelopeStatus.Valid, Envelope.TryRead(signed, Digest, Created, out _));
    }

    [Fact]
    public void A_time_outside_what_a_date_can_hold_is_corrupt_never_an_exception()
    {
        // Anyone who can write a store can write a frame with a valid checksum (it needs no secret), and any time in it.
        Gen.Select(Gen.Int[0, 2], Gen.OneOf(Gen.Long, Gen.Const(long.MinValue), Gen.Const(long.MaxValue), Gen.Const(-62_135_596_800_001L), Gen.Const(253_402_300_800_000L), Gen.Long[-62_135_596_800_000, 253_402_300_799_999]))
            .Sample((field, milliseconds) =>
            {
                var frame = Frame();
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(4 + (8 * field)), milliseconds);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(frame.Length - 8), System.IO.Hashing.XxHash64.HashToUInt64(frame.AsSpan(0, frame.Length - 8)));
                var status = Read(frame);
                var representable = milliseconds is >= -62_135_596_800_000 and <= 253_402_300_799_999;
                return representable ? status != EnvelopeStatus.Corrupt : status == EnvelopeStatus.Corrupt;
            });
    }

    [Fact]
    public void Bytes_that_are_not_a_frame_are_corrupt()
    {
        Assert.Equal(EnvelopeStatus.Corrupt, Read(Encoding.UTF8.GetBytes(new string('x', 200))));
        Assert.Equal(EnvelopeStatus.Corrupt, Read([]));
    }

    [Fact]
    public void Tags_round_trip_as_digests_and_their_text_is_not_in_the_frame()
    {
        string[] tags = ["invoices", "user:42:", "ünïcode"];
        var digests = TagDigest.Normalize(tags)!;
        var frame = Envelope.Create(Digest, Payload, Created, Expires, Expires, digests, "Ns.Page"u8);

        Assert.Equal(EnvelopeStatus.Valid, Envelope.TryRead(frame, Digest, Created, out var content));
        Assert.Equal(digests, content.Tags);
        Assert.All(tags, t => Assert.Equal(-1, frame.AsSpan().IndexOf(Encoding.UTF8.GetBytes(t))));
        Assert.Equal("Ns.Page", Encoding.UTF8.GetString(content.ValueType.Span));
        Assert.Equal(Payload, content.Payload.ToArray());
    }

    [Fact]
    public void Between_expiry_and_retain_until_a_frame_is_served_as_stale()
    {
        var retain = Expires.AddMinutes(10);
        var frame = Envelope.Create(Digest, Payload, Created, Expires, retain, tags: null, valueType: default);

        Assert.Equal(EnvelopeStatus.Valid, Envelope.TryRead(frame, Digest, Expires.AddMilliseconds(-1), out var fresh));
        Assert.False(fresh.IsStale);
        Assert.Equal(EnvelopeStatus.Valid, Envelope.TryRead(frame, Digest, Expires, out var stale));
        Assert.True(stale.IsStale);
        Assert.Equal(retain, stale.RetainUntil);
        Assert.Equal(EnvelopeStatus.Expired, Envelope.TryRead(frame, Digest, retain, out _));
    }

    [Fact]
    public void A_retain_until_before_the_expiry_is_raised_to_the_expiry()
    {
        var frame = Envelope.Create(Digest, Payload, Created, Expires, Created, tags: null, valueType: default);

        Assert.Equal(EnvelopeStatus.Valid, Envelope.TryRead(frame, Digest, Created, out var content));
        Assert.Equal(Expires, content.RetainUntil);
    }

    /// <summary>
    /// A frame pinned byte for byte. Disk, Redis and S3 keep frames across deployments: a change here is a
    /// change of the stored format, which must come with a new <see cref="Envelope.FormatVersion"/>.
    /// </summary>
    private const string GoldenFrame =
        "434d020000e42a338f01000080d261338f010000606666338f010000" + // magic, format 2, flags, created, expires, retain-until (ms)
        "3a0aac44832e55528a834fec737786c999e7b8dea8bd601bb59f195237d58b2e" + // SHA-256 of the key
        "100000000100000003000000" + // tags length, value type length, payload length
        "e3b98a4da31a127d4bde6e43033f66ba" + // one tag: the digest of "t" (SHA-256, first 16 bytes), never its text
        "54" + // value type "T"
        "616263" + // payload "abc"
        "e7f9790b16a5ed2d"; // XxHash64 of everything before

    private static byte[] GoldenInput() =>
        Envelope.Create(Digest, Encoding.UTF8.GetBytes("abc"), Created, Expires, Expires.AddMinutes(5), [TagDigest.Of("t")], "T"u8);

    [Fact]
    public void The_frame_layout_matches_its_pinned_bytes()
    {
        Assert.Equal(GoldenFrame, Convert.ToHexStringLower(GoldenInput()));

        Assert.Equal(EnvelopeStatus.Valid, Envelope.TryRead(Convert.FromHexString(GoldenFrame), Digest, Created, out var content));
        Assert.Equal("abc", Encoding.UTF8.GetString(content.Payload.Span));
        Assert.Equal((Created, Expires, Expires.AddMinutes(5)), (content.CreatedAt, content.ExpiresAt, content.RetainUntil));
        Assert.Equal([TagDigest.Of("t")], content.Tags);
    }
}
