using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace CachedMethods;

// Scalars, strings (their exact UTF-16 code units), dates and times, bytes and enums.
public ref partial struct CacheKeyBuilder
{
    /// <summary>Writes <see langword="null"/>.</summary>
    public void AppendNull() => WriteTag(KeyTag.Null);

    /// <summary>Writes a <see cref="bool"/>.</summary>
    public void Append(bool value)
    {
        WriteTag(KeyTag.Boolean);
        WriteByte(value ? (byte)1 : (byte)0);
    }

    /// <summary>Writes a <see cref="byte"/>.</summary>
    public void Append(byte value)
    {
        WriteTag(KeyTag.Byte);
        WriteByte(value);
    }

    /// <summary>Writes an <see cref="sbyte"/>.</summary>
    public void Append(sbyte value)
    {
        WriteTag(KeyTag.SByte);
        WriteByte((byte)value);
    }

    /// <summary>Writes a <see cref="short"/>.</summary>
    public void Append(short value)
    {
        WriteTag(KeyTag.Int16);
        BinaryPrimitives.WriteInt16LittleEndian(Reserve(2), value);
    }

    /// <summary>Writes a <see cref="ushort"/>.</summary>
    public void Append(ushort value)
    {
        WriteTag(KeyTag.UInt16);
        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);
    }

    /// <summary>Writes an <see cref="int"/>.</summary>
    public void Append(int value)
    {
        WriteTag(KeyTag.Int32);
        WriteFixed32((uint)value);
    }

    /// <summary>Writes a <see cref="uint"/>.</summary>
    public void Append(uint value)
    {
        WriteTag(KeyTag.UInt32);
        WriteFixed32(value);
    }

    /// <summary>Writes a <see cref="long"/>.</summary>
    public void Append(long value)
    {
        WriteTag(KeyTag.Int64);
        WriteFixed64((ulong)value);
    }

    /// <summary>Writes a <see cref="ulong"/>.</summary>
    public void Append(ulong value)
    {
        WriteTag(KeyTag.UInt64);
        WriteFixed64(value);
    }

    /// <summary>Writes an <see cref="Int128"/>.</summary>
    public void Append(Int128 value)
    {
        WriteTag(KeyTag.Int128);
        WriteByte(1);
        BinaryPrimitives.WriteInt128LittleEndian(Reserve(16), value);
    }

    /// <summary>Writes a <see cref="UInt128"/>.</summary>
    public void Append(UInt128 value)
    {
        WriteTag(KeyTag.Int128);
        WriteByte(0);
        BinaryPrimitives.WriteUInt128LittleEndian(Reserve(16), value);
    }

    /// <summary>Writes a <see cref="Half"/> by its exact bits.</summary>
    public void Append(Half value)
    {
        WriteTag(KeyTag.Half);
        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), BitConverter.HalfToUInt16Bits(value));
    }

    /// <summary>Writes a <see cref="float"/> by its exact bits (<c>-0f</c> differs from <c>0f</c>).</summary>
    public void Append(float value)
    {
        WriteTag(KeyTag.Single);
        WriteFixed32(BitConverter.SingleToUInt32Bits(value));
    }

    /// <summary>Writes a <see cref="double"/> by its exact bits (<c>-0.0</c> differs from <c>0.0</c>).</summary>
    public void Append(double value)
    {
        WriteTag(KeyTag.Double);
        WriteFixed64(BitConverter.DoubleToUInt64Bits(value));
    }

    /// <summary>Writes a <see cref="decimal"/> with its scale: <c>1.0m</c> differs from <c>1.00m</c>.</summary>
    public void Append(decimal value)
    {
        WriteTag(KeyTag.Decimal);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var target = Reserve(16);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(target[(i * 4)..], bits[i]);
        }
    }

    /// <summary>Writes a <see cref="char"/>.</summary>
    public void Append(char value)
    {
        WriteTag(KeyTag.Char);
        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);
    }

    /// <summary>
    /// Writes a string by its exact UTF-16 code units, or <see langword="null"/>; <c>""</c> and
    /// <see langword="null"/> differ, and so do <c>"x\uD800"</c> and <c>"x\uFFFD"</c>.
    /// </summary>
    public void Append(string? value)
    {
        if (value is null)
        {
            AppendNull();
            return;
        }

        WriteTag(KeyTag.StringUtf16);
        WriteUtf16(value);
    }

    /// <summary>Writes a <see cref="Guid"/>.</summary>
    public void Append(Guid value)
    {
        WriteTag(KeyTag.Guid);
        value.TryWriteBytes(Reserve(16));
    }

    /// <summary>Writes a <see cref="DateTime"/>: its ticks and its <see cref="DateTime.Kind"/>.</summary>
    public void Append(DateTime value)
    {
        WriteTag(KeyTag.DateTime);
        WriteFixed64((ulong)value.Ticks);
        WriteByte((byte)value.Kind);
    }

    /// <summary>Writes a <see cref="DateTimeOffset"/>: its local ticks and its offset.</summary>
    public void Append(DateTimeOffset value)
    {
        WriteTag(KeyTag.DateTimeOffset);
        WriteFixed64((ulong)value.Ticks);
        WriteFixed64((ulong)value.Offset.Ticks);
    }

    /// <summary>Writes a <see cref="TimeSpan"/>.</summary>
    public void Append(TimeSpan value)
    {
        WriteTag(KeyTag.TimeSpan);
        WriteFixed64((ulong)value.Ticks);
    }

    /// <summary>Writes a <see cref="DateOnly"/>.</summary>
    public void Append(DateOnly value)
    {
        WriteTag(KeyTag.DateOnly);
        WriteFixed32((uint)value.DayNumber);
    }

    /// <summary>Writes a <see cref="TimeOnly"/>.</summary>
    public void Append(TimeOnly value)
    {
        WriteTag(KeyTag.TimeOnly);
        WriteFixed64((ulong)value.Ticks);
    }

    /// <summary>Writes bytes by content, or <see langword="null"/>.</summary>
    public void Append(byte[]? value)
    {
        if (value is null)
        {
            AppendNull();
            return;
        }

        Append(new ReadOnlySpan<byte>(value));
    }

    /// <summary>Writes bytes by content.</summary>
    public void Append(ReadOnlyMemory<byte> value) => Append(value.Span);

    /// <summary>Writes bytes by content; runs over <see cref="InlineLimit"/> bytes are keyed by SHA-256.</summary>
    public void Append(ReadOnlySpan<byte> value)
    {
        WriteTag(KeyTag.Bytes);
        WriteBytesOrDigest(value);
    }

    /// <summary>Writes an enum: its type's name, then its underlying value, so equal numbers of two enum types differ.</summary>
    public void AppendEnum<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        WriteTag(KeyTag.Enum);
        WriteBytesOrDigest(EnumTypeName<TEnum>.Utf8);
        var size = Unsafe.SizeOf<TEnum>();
        WriteByte((byte)size);
        var target = Reserve(size);
        MemoryMarshal.AsBytes(new ReadOnlySpan<TEnum>(in value)).CopyTo(target);
        if (!BitConverter.IsLittleEndian)
        {
            target.Reverse();
        }
    }

    /// <summary>An identifier (scope, name, type name) as strict UTF-8: the bytes of its <c>"..."u8</c> literal.</summary>
    private void WriteString(string value)
    {
        var length = StrictUtf8.GetByteCount(value);
        if (length <= InlineLimit)
        {
            WriteByte(InlineMode);
            WriteVarUInt((uint)length);
            StrictUtf8.GetBytes(value, Reserve(length));
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = StrictUtf8.GetBytes(value, rented);
            WriteDigest(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A string value as its UTF-16 code units, little-endian: every string has its own bytes.</summary>
    private void WriteUtf16(ReadOnlySpan<char> value)
    {
        if (BitConverter.IsLittleEndian)
        {
            WriteBytesOrDigest(MemoryMarshal.AsBytes(value));
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(value.Length * 2);
        try
        {
            for (var i = 0; i < value.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(rented.AsSpan(i * 2), value[i]);
            }

            WriteBytesOrDigest(rented.AsSpan(0, value.Length * 2));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void WriteBytesOrDigest(ReadOnlySpan<byte> value)
    {
        if (value.Length <= InlineLimit)
        {
            WriteByte(InlineMode);
            WriteVarUInt((uint)value.Length);
            value.CopyTo(Reserve(value.Length));
            return;
        }

        WriteDigest(value);
    }

    private void WriteDigest(ReadOnlySpan<byte> value)
    {
        WriteByte(DigestMode);
        WriteVarUInt((uint)value.Length);
        SHA256.HashData(value, Reserve(SHA256.HashSizeInBytes));
    }
}

/// <summary>The UTF-8 name of an enum type, computed once per type so keys with enums allocate nothing.</summary>
file static class EnumTypeName<TEnum> where TEnum : struct, Enum
{
    public static readonly byte[] Utf8 = Encoding.UTF8.GetBytes(typeof(TEnum).ToString());
}
