using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using MessagePack.Formatters;

namespace CachedMethods.Serialization.Formatters;

/// <summary>
/// A <see cref="DateTime"/> with its ticks and its kind: one int64, the kind in the top two bits. MessagePack's
/// own formatter writes a UTC timestamp, so a Local or Unspecified value came back as UTC with shifted ticks.
/// </summary>
public sealed class ExactDateTimeFormatter : IMessagePackFormatter<DateTime>
{
    /// <summary>The shared instance.</summary>
    public static readonly ExactDateTimeFormatter Instance = new();

    private const long TicksMask = 0x3FFF_FFFF_FFFF_FFFF;

    private ExactDateTimeFormatter()
    {
    }

    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, DateTime value, MessagePackSerializerOptions options) =>
        writer.Write(value.Ticks | ((long)value.Kind << 62));

    /// <inheritdoc/>
    public DateTime Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var packed = reader.ReadInt64();
        var kind = (ulong)packed >> 62;
        var ticks = packed & TicksMask;
        if (kind > (ulong)DateTimeKind.Local || ticks > DateTime.MaxValue.Ticks)
        {
            throw new MessagePackSerializationException($"0x{packed:x16} is not a DateTime written by {nameof(ExactDateTimeFormatter)}.");
        }

        return new DateTime(ticks, (DateTimeKind)kind);
    }
}

/// <summary>A <see cref="DateTimeOffset"/> as [clock ticks, offset in minutes]: the offset is kept, not normalized to UTC.</summary>
public sealed class ExactDateTimeOffsetFormatter : IMessagePackFormatter<DateTimeOffset>
{
    /// <summary>The shared instance.</summary>
    public static readonly ExactDateTimeOffsetFormatter Instance = new();

    private ExactDateTimeOffsetFormatter()
    {
    }

    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, DateTimeOffset value, MessagePackSerializerOptions options)
    {
        writer.WriteArrayHeader(2);
        writer.Write(value.Ticks);
        writer.Write((short)value.TotalOffsetMinutes);
    }

    /// <inheritdoc/>
    public DateTimeOffset Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.ReadArrayHeader() != 2)
        {
            throw new MessagePackSerializationException("A DateTimeOffset is an array of 2.");
        }

        var ticks = reader.ReadInt64();
        var minutes = reader.ReadInt16();

        // The constructor range-checks both (ArgumentOutOfRangeException), which the engine turns into a miss.
        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
    }
}

/// <summary>A <see cref="decimal"/> as its 16 bytes (<see cref="decimal.GetBits(decimal)"/>): scale and sign kept exactly.</summary>
public sealed class ExactDecimalFormatter : IMessagePackFormatter<decimal>
{
    /// <summary>The shared instance.</summary>
    public static readonly ExactDecimalFormatter Instance = new();

    private ExactDecimalFormatter()
    {
    }

    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, decimal value, MessagePackSerializerOptions options)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var bytes = Binary.Begin16(ref writer);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes[(i * 4)..], bits[i]);
        }

        writer.Advance(16);
    }

    /// <inheritdoc/>
    public decimal Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        Span<byte> bytes = stackalloc byte[16];
        Binary.Read16(ref reader, bytes, "decimal");
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]);
        }

        // The constructor rejects bits that are not a decimal (ArgumentException): a miss.
        return new decimal(bits);
    }
}

/// <summary>An <see cref="Int128"/> as 16 little-endian bytes; MessagePack 2.5 has no formatter for it.</summary>
public sealed class Int128Formatter : IMessagePackFormatter<Int128>
{
    /// <summary>The shared instance.</summary>
    public static readonly Int128Formatter Instance = new();

    private Int128Formatter()
    {
    }

    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, Int128 value, MessagePackSerializerOptions options)
    {
        BinaryPrimitives.WriteInt128LittleEndian(Binary.Begin16(ref writer), value);
        writer.Advance(16);
    }

    /// <inheritdoc/>
    public Int128 Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        Span<byte> bytes = stackalloc byte[16];
        Binary.Read16(ref reader, bytes, "Int128");
        return BinaryPrimitives.ReadInt128LittleEndian(bytes);
    }
}

/// <summary>A <see cref="UInt128"/> as 16 little-endian bytes; MessagePack 2.5 has no formatter for it.</summary>
public sealed class UInt128Formatter : IMessagePackFormatter<UInt128>
{
    /// <summary>The shared instance.</summary>
    public static readonly UInt128Formatter Instance = new();

    private UInt128Formatter()
    {
    }

    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, UInt128 value, MessagePackSerializerOptions options)
    {
        BinaryPrimitives.WriteUInt128LittleEndian(Binary.Begin16(ref writer), value);
        writer.Advance(16);
    }

    /// <inheritdoc/>
    public UInt128 Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        Span<byte> bytes = stackalloc byte[16];
        Binary.Read16(ref reader, bytes, "UInt128");
        return BinaryPrimitives.ReadUInt128LittleEndian(bytes);
    }
}

internal static class Binary
{
    /// <summary>Writes the header of a 16-byte bin and returns the span to fill; the caller advances by 16.</summary>
    public static Span<byte> Begin16(ref MessagePackWriter writer)
    {
        writer.WriteBinHeader(16);
        return writer.GetSpan(16)[..16];
    }

    /// <summary>Reads a bin of exactly 16 bytes into <paramref name="destination"/>.</summary>
    public static void Read16(ref MessagePackReader reader, scoped Span<byte> destination, string type)
    {
        var bytes = reader.ReadBytes();
        if (bytes is not { Length: 16 } sequence)
        {
            throw new MessagePackSerializationException($"A {type} is 16 bytes; found {(bytes is null ? "nil" : bytes.Value.Length + " bytes")}.");
        }

        sequence.CopyTo(destination);
    }
}
