using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace CachedMethods;

/// <summary>
/// Writes the canonical, type-tagged, length-prefixed encoding of a cache key into a caller-supplied
/// buffer (usually <see langword="stackalloc"/>), growing into pooled memory only when it must.
/// </summary>
/// <remarks>
/// <para>
/// Every value is written as a <see cref="KeyTag"/> followed by a fixed-width or length-prefixed
/// payload, so no two different argument lists share an encoding: <c>("ab","c")</c> and
/// <c>("a","bc")</c> differ, <c>null</c> and <c>""</c> differ, <c>1</c> and <c>1L</c> differ.
/// The encoding never depends on culture, process or machine.
/// </para>
/// <para>
/// Floating-point values are written by their exact bits: <c>-0.0</c> and <c>0.0</c> are different
/// keys. A method for which they mean the same thing pays at most one extra miss; the opposite choice
/// could return a wrong hit, which this library never does.
/// </para>
/// <para>
/// Strings and byte runs longer than <see cref="InlineLimit"/> bytes are replaced by their SHA-256,
/// so a key over a whole page of text stays small in memory while remaining collision-resistant.
/// </para>
/// <para>This is a <see langword="ref struct"/>: call <see cref="Dispose"/> to return pooled memory.</para>
/// </remarks>
public ref struct CacheKeyBuilder
{
    /// <summary>
    /// The version of the key encoding, written into every scope. 2: string values are their exact UTF-16
    /// code units (format 1 wrote UTF-8, which turned every lone surrogate into U+FFFD), the method scope
    /// names the parameter types, and sets and dictionaries are written in a canonical order.
    /// </summary>
    public const byte FormatVersion = 2;

    /// <summary>Strings and byte runs longer than this many bytes are keyed by their SHA-256.</summary>
    public const int InlineLimit = 256;

    private const byte InlineMode = 0;
    private const byte DigestMode = 1;

    /// <summary>
    /// Names, scopes and type names are identifiers: UTF-8, and an unpaired surrogate in one is an error
    /// rather than a silent U+FFFD, so two different names never share bytes.
    /// </summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _position;

    /// <summary>Starts a key in <paramref name="initialBuffer"/>; 256 stack bytes fit most keys.</summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public CacheKeyBuilder(Span<byte> initialBuffer)
    {
        _buffer = initialBuffer;
        _rented = null;
        _position = 0;
    }

    /// <summary>The bytes written so far: the canonical key.</summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    /// <summary>
    /// Writes the scope that every generated key starts with: the declaring type, the method, the
    /// user's <paramref name="version"/> and a fingerprint of the result type's shape.
    /// </summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void AppendScope(string declaringType, string method, int version, string resultShape)
    {
        WriteTag(KeyTag.Scope);
        WriteByte(FormatVersion);
        WriteString(declaringType);
        WriteString(method);
        WriteFixed32((uint)version);
        WriteString(resultShape);
    }

    /// <summary>
    /// The scope of <see cref="AppendScope(string, string, int, string)"/> from UTF-8 literals (<c>"Ns.IOcr"u8</c>):
    /// the same bytes, without encoding strings on every call. Generated wrappers use this form.
    /// </summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void AppendScope(ReadOnlySpan<byte> declaringTypeUtf8, ReadOnlySpan<byte> methodUtf8, int version, ReadOnlySpan<byte> resultShapeUtf8)
    {
        WriteTag(KeyTag.Scope);
        WriteByte(FormatVersion);
        WriteBytesOrDigest(declaringTypeUtf8);
        WriteBytesOrDigest(methodUtf8);
        WriteFixed32((uint)version);
        WriteBytesOrDigest(resultShapeUtf8);
    }

    /// <summary>Writes a parameter or member name; call it before that parameter's value.</summary>
    public void AppendName(string name)
    {
        WriteTag(KeyTag.Name);
        WriteString(name);
    }

    /// <summary>The name of <see cref="AppendName(string)"/> from a UTF-8 literal (<c>"dpi"u8</c>): the same bytes.</summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void AppendName(ReadOnlySpan<byte> nameUtf8)
    {
        WriteTag(KeyTag.Name);
        WriteBytesOrDigest(nameUtf8);
    }

    /// <summary>Writes a key given as a plain string (the string-key API of <see cref="CacheManager"/>).</summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void AppendRawKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        WriteTag(KeyTag.RawKeyUtf16);
        WriteUtf16(key);
    }

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

    /// <summary>Starts a sequence of <paramref name="count"/> elements; write each element after it.</summary>
    public void BeginSequence(int count)
    {
        WriteTag(KeyTag.Sequence);
        WriteVarUInt((uint)count);
    }

    /// <summary>Starts a composite value of type <paramref name="typeName"/>; write its members after it.</summary>
    public void BeginObject(string typeName)
    {
        WriteTag(KeyTag.Object);
        WriteString(typeName);
    }

    /// <summary>The start of <see cref="BeginObject(string)"/> from a UTF-8 literal: the same bytes.</summary>
    public void BeginObject(ReadOnlySpan<byte> typeNameUtf8)
    {
        WriteTag(KeyTag.Object);
        WriteBytesOrDigest(typeNameUtf8);
    }

    /// <summary>Writes a value that encodes itself.</summary>
    public void AppendEncodable<T>(T? value) where T : ICacheKeyEncodable
    {
        if (value is null)
        {
            AppendNull();
            return;
        }

        value.WriteCacheKey(ref this);
    }

    /// <summary>
    /// Writes the type argument <typeparamref name="T"/> of a generic cached method, by its full name, so
    /// <c>Load&lt;Invoice&gt;("7")</c> and <c>Load&lt;Order&gt;("7")</c> are two keys. The name is computed once per type.
    /// </summary>
    public void AppendTypeArgument<T>()
    {
        WriteTag(KeyTag.TypeArgument);
        WriteBytesOrDigest(TypeArgumentName<T>.Utf8);
    }

    /// <summary>Starts a tuple (a value tuple, a <see cref="KeyValuePair{TKey, TValue}"/>) of <paramref name="arity"/> items; write each item after it.</summary>
    public void BeginTuple(int arity)
    {
        WriteTag(KeyTag.Tuple);
        WriteVarUInt((uint)arity);
    }

    /// <summary>
    /// Starts an unordered collection (a set, or a dictionary's entries). Call <see cref="NextElement"/>
    /// before each element and <see cref="EndUnordered"/> after the last: the elements are then written
    /// sorted by their encoding, so two sets with the same elements have the same key whatever their order.
    /// </summary>
    public readonly UnorderedScope BeginUnordered() => new(_position);

    /// <summary>Marks the start of the next element of an unordered collection.</summary>
    public void NextElement(ref UnorderedScope scope)
    {
        CloseElement(ref scope);
        scope.Last = _position;
        scope.Count++;
        Reserve(4);
    }

    /// <summary>Writes the elements since <see cref="BeginUnordered"/> as a count and the elements in byte order.</summary>
    public void EndUnordered(ref UnorderedScope scope)
    {
        CloseElement(ref scope);
        var start = scope.Start;
        var length = _position - start;
        var count = scope.Count;
        var scratch = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        var segments = ArrayPool<int>.Shared.Rent(Math.Max(count * 2, 2));
        try
        {
            _buffer.Slice(start, length).CopyTo(scratch);
            var offset = 0;
            for (var i = 0; i < count; i++)
            {
                var size = BinaryPrimitives.ReadInt32LittleEndian(scratch.AsSpan(offset));
                segments[i * 2] = offset + 4;
                segments[(i * 2) + 1] = size;
                offset += 4 + size;
            }

            UnorderedSort.Sort(scratch, segments.AsSpan(0, count * 2));
            _position = start;
            WriteTag(KeyTag.Unordered);
            WriteVarUInt((uint)count);
            for (var i = 0; i < count; i++)
            {
                scratch.AsSpan(segments[i * 2], segments[(i * 2) + 1]).CopyTo(Reserve(segments[(i * 2) + 1]));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(segments);
            ArrayPool<byte>.Shared.Return(scratch);
        }

        scope = default;
    }

    private readonly void CloseElement(ref UnorderedScope scope)
    {
        if (scope.Count > 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(scope.Last, 4), _position - scope.Last - 4);
        }
    }

    /// <summary>
    /// Writes a boxed value of any keyable runtime type. Used by <see cref="CacheManager.GenerateKey"/>;
    /// generated code calls the typed overloads instead.
    /// </summary>
    /// <exception cref="ArgumentException">The value's type has no deterministic encoding.</exception>
    public void AppendObject(object? value, string parameterName)
    {
        switch (value)
        {
            case null: AppendNull(); break;
            case string s: Append(s); break;
            case bool b: Append(b); break;
            case int i: Append(i); break;
            case long l: Append(l); break;
            case double d: Append(d); break;
            case float f: Append(f); break;
            case decimal m: Append(m); break;
            case byte u8: Append(u8); break;
            case sbyte i8: Append(i8); break;
            case short i16: Append(i16); break;
            case ushort u16: Append(u16); break;
            case uint u32: Append(u32); break;
            case ulong u64: Append(u64); break;
            case Int128 i128: Append(i128); break;
            case UInt128 u128: Append(u128); break;
            case Half h: Append(h); break;
            case char c: Append(c); break;
            case Guid g: Append(g); break;
            case DateTime dt: Append(dt); break;
            case DateTimeOffset dto: Append(dto); break;
            case TimeSpan ts: Append(ts); break;
            case DateOnly d: Append(d); break;
            case TimeOnly t: Append(t); break;
            case byte[] bytes: Append(bytes); break;
            case ReadOnlyMemory<byte> rom: Append(rom.Span); break;
            case Memory<byte> mem: Append(mem.Span); break;
            case Enum e: AppendBoxedEnum(e); break;
            case ICacheKeyEncodable encodable: encodable.WriteCacheKey(ref this); break;
            case ITuple tuple: AppendBoxedTuple(tuple, parameterName); break;
            case System.Collections.IDictionary dictionary: AppendBoxedDictionary(dictionary, parameterName); break;
            case System.Collections.IEnumerable set when BoxedShapes.IsSet(set): AppendBoxedSet(set, parameterName); break;
            case System.Collections.IEnumerable sequence: AppendBoxedSequence(sequence, parameterName); break;
            default:
                throw new ArgumentException(
                    $"Parameter '{parameterName}' has type '{value.GetType().FullName}', which has no deterministic cache-key encoding. " +
                    $"Pass a primitive, string, Guid, date/time, byte[], enum or a sequence of those, or implement {nameof(ICacheKeyEncodable)}.",
                    parameterName);
        }
    }

    private void AppendBoxedEnum(Enum value)
    {
        WriteTag(KeyTag.Enum);
        WriteString(value.GetType().ToString());
        // Boxed enums arrive without a static type, so the width comes from the type code.
        switch (value.GetTypeCode())
        {
            case TypeCode.Byte or TypeCode.SByte:
                WriteByte(1);
                WriteByte(unchecked((byte)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case TypeCode.Int16 or TypeCode.UInt16:
                WriteByte(2);
                BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), unchecked((ushort)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case TypeCode.Int32 or TypeCode.UInt32:
                WriteByte(4);
                WriteFixed32(unchecked((uint)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            default:
                WriteByte(8);
                WriteFixed64(value.GetTypeCode() == TypeCode.UInt64
                    ? Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture)
                    : unchecked((ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
        }
    }

    private void AppendBoxedTuple(ITuple tuple, string parameterName)
    {
        BeginTuple(tuple.Length);
        for (var i = 0; i < tuple.Length; i++)
        {
            AppendObject(tuple[i], parameterName);
        }
    }

    private void AppendBoxedDictionary(System.Collections.IDictionary dictionary, string parameterName)
    {
        var scope = BeginUnordered();
        var entries = dictionary.GetEnumerator();
        while (entries.MoveNext())
        {
            NextElement(ref scope);
            AppendObject(entries.Key, parameterName);
            AppendObject(entries.Value, parameterName);
        }

        EndUnordered(ref scope);
    }

    private void AppendBoxedSet(System.Collections.IEnumerable set, string parameterName)
    {
        var scope = BeginUnordered();
        foreach (var item in set)
        {
            NextElement(ref scope);
            AppendObject(item, parameterName);
        }

        EndUnordered(ref scope);
    }

    private void AppendBoxedSequence(System.Collections.IEnumerable sequence, string parameterName)
    {
        var items = new List<object?>();
        foreach (var item in sequence)
        {
            items.Add(item);
        }

        BeginSequence(items.Count);
        foreach (var item in items)
        {
            AppendObject(item, parameterName);
        }
    }

    /// <summary>Hashes the bytes written so far with XxHash128: the in-process key.</summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly KeyHash ComputeHash() => KeyHash.Compute(Written);

    /// <summary>Copies the key out of the builder. Allocates: call it only on a miss.</summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly CacheKey ToCacheKey() => new(Written.ToArray());

    /// <summary>Returns any pooled buffer.</summary>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Dispose()
    {
        var rented = _rented;
        _rented = null;
        _buffer = default;
        _position = 0;
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void WriteTag(KeyTag tag) => WriteByte((byte)tag);

    private void WriteByte(byte value) => Reserve(1)[0] = value;

    private void WriteFixed32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    private void WriteFixed64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    private void WriteVarUInt(uint value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
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

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }

        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count + 64));
        _buffer[.._position].CopyTo(next);
        var old = _rented;
        _buffer = next;
        _rented = next;
        if (old is not null)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}

/// <summary>The UTF-8 name of a type argument, computed once per type so keys of generic methods allocate nothing.</summary>
file static class TypeArgumentName<T>
{
    public static readonly byte[] Utf8 = Encoding.UTF8.GetBytes(typeof(T).ToString());
}

/// <summary>Which boxed runtime types are sets, decided once per type (for <see cref="CacheKeyBuilder.AppendObject"/>).</summary>
file static class BoxedShapes
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> Sets = new();

    public static bool IsSet(object value)
    {
        var type = value.GetType();
        if (!Sets.TryGetValue(type, out var isSet))
        {
            // By the set types' definitions rather than their interfaces, which a trimmed app may not keep.
            for (var t = type; t is not null && !isSet; t = t.BaseType)
            {
                isSet = t.IsGenericType && SetDefinitions.Contains(t.GetGenericTypeDefinition());
            }

            Sets[type] = isSet;
        }

        return isSet;
    }

    private static readonly Type[] SetDefinitions =
    [
        typeof(HashSet<>), typeof(SortedSet<>), typeof(System.Collections.Immutable.ImmutableHashSet<>),
        typeof(System.Collections.Immutable.ImmutableSortedSet<>), typeof(System.Collections.Frozen.FrozenSet<>),
    ];
}

/// <summary>
/// Sorts the elements of an unordered collection by their bytes, in place and without allocating: a heap
/// sort over (offset, length) pairs into one scratch buffer.
/// </summary>
file static class UnorderedSort
{
    public static void Sort(byte[] data, Span<int> pairs)
    {
        var count = pairs.Length / 2;
        for (var i = (count / 2) - 1; i >= 0; i--)
        {
            SiftDown(data, pairs, i, count);
        }

        for (var end = count - 1; end > 0; end--)
        {
            Swap(pairs, 0, end);
            SiftDown(data, pairs, 0, end);
        }
    }

    private static void SiftDown(byte[] data, Span<int> pairs, int root, int count)
    {
        while (true)
        {
            var child = (root * 2) + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && Compare(data, pairs, child + 1, child) > 0)
            {
                child++;
            }

            if (Compare(data, pairs, root, child) >= 0)
            {
                return;
            }

            Swap(pairs, root, child);
            root = child;
        }
    }

    private static int Compare(byte[] data, Span<int> pairs, int a, int b) =>
        data.AsSpan(pairs[a * 2], pairs[(a * 2) + 1]).SequenceCompareTo(data.AsSpan(pairs[b * 2], pairs[(b * 2) + 1]));

    private static void Swap(Span<int> pairs, int a, int b)
    {
        (pairs[a * 2], pairs[b * 2]) = (pairs[b * 2], pairs[a * 2]);
        (pairs[(a * 2) + 1], pairs[(b * 2) + 1]) = (pairs[(b * 2) + 1], pairs[(a * 2) + 1]);
    }
}

/// <summary>The UTF-8 name of an enum type, computed once per type so keys with enums allocate nothing.</summary>
file static class EnumTypeName<TEnum> where TEnum : struct, Enum
{
    public static readonly byte[] Utf8 = Encoding.UTF8.GetBytes(typeof(TEnum).ToString());
}

/// <summary>A 128-bit XxHash of a canonical key: the in-process dictionary key.</summary>
/// <remarks>
/// A hash is only a bucket: every memory entry also keeps its full canonical key and compares it on a
/// hit, so two keys that share a hash can never return each other's values.
/// </remarks>
public readonly struct KeyHash : IEquatable<KeyHash>
{
    private readonly ulong _high;
    private readonly ulong _low;

    private KeyHash(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>Hashes <paramref name="canonicalKey"/>.</summary>
    public static KeyHash Compute(ReadOnlySpan<byte> canonicalKey)
    {
        var hash = XxHash128.HashToUInt128(canonicalKey);
        return new KeyHash((ulong)(hash >> 64), (ulong)hash);
    }

    /// <inheritdoc/>
    public bool Equals(KeyHash other) => _low == other._low && _high == other._high;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KeyHash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked((int)_low ^ (int)(_low >> 32));

    /// <summary>Compares two hashes.</summary>
    public static bool operator ==(KeyHash left, KeyHash right) => left.Equals(right);

    /// <summary>Compares two hashes.</summary>
    public static bool operator !=(KeyHash left, KeyHash right) => !left.Equals(right);

    /// <summary>32 lowercase hex characters; the same in every process for the same key.</summary>
    public override string ToString() => $"{_high:x16}{_low:x16}";

    /// <summary>Reads the form <see cref="ToString"/> writes.</summary>
    public static bool TryParse(string? text, out KeyHash hash)
    {
        hash = default;
        if (text is not { Length: 32 }
            || !ulong.TryParse(text.AsSpan(0, 16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var high)
            || !ulong.TryParse(text.AsSpan(16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        hash = new KeyHash(high, low);
        return true;
    }
}
