using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
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
public ref partial struct CacheKeyBuilder
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
