namespace CachedMethods;

/// <summary>
/// The type tag written before every value in a canonical key. Two values of different types never
/// encode to the same bytes, so <c>1</c>, <c>1L</c> and <c>"1"</c> are three different keys.
/// </summary>
/// <remarks>
/// These numbers are part of the on-disk and in-Redis key format: never renumber one.
/// Add new tags at the end and bump <see cref="CacheKeyBuilder.FormatVersion"/>.
/// </remarks>
public enum KeyTag : byte
{
    /// <summary>A <see langword="null"/> reference or an empty <see cref="Nullable{T}"/>.</summary>
    Null = 1,
    /// <summary>A <see cref="bool"/>.</summary>
    Boolean = 2,
    /// <summary>A <see cref="byte"/>.</summary>
    Byte = 3,
    /// <summary>An <see cref="sbyte"/>.</summary>
    SByte = 4,
    /// <summary>A <see cref="short"/>.</summary>
    Int16 = 5,
    /// <summary>A <see cref="ushort"/>.</summary>
    UInt16 = 6,
    /// <summary>An <see cref="int"/>.</summary>
    Int32 = 7,
    /// <summary>A <see cref="uint"/>.</summary>
    UInt32 = 8,
    /// <summary>A <see cref="long"/>.</summary>
    Int64 = 9,
    /// <summary>A <see cref="ulong"/>.</summary>
    UInt64 = 10,
    /// <summary>A <see cref="float"/>, by its exact bits.</summary>
    Single = 11,
    /// <summary>A <see cref="double"/>, by its exact bits.</summary>
    Double = 12,
    /// <summary>A <see cref="decimal"/>, by its four 32-bit parts (scale included).</summary>
    Decimal = 13,
    /// <summary>A <see cref="char"/>.</summary>
    Char = 14,
    /// <summary>Format 1: a string, UTF-8 and length-prefixed. No longer written: see <see cref="StringUtf16"/>.</summary>
    String = 15,
    /// <summary>A <see cref="Guid"/>.</summary>
    Guid = 16,
    /// <summary>A <see cref="DateTime"/>: ticks and <see cref="DateTimeKind"/>.</summary>
    DateTime = 17,
    /// <summary>A <see cref="DateTimeOffset"/>: ticks and offset.</summary>
    DateTimeOffset = 18,
    /// <summary>A <see cref="TimeSpan"/>.</summary>
    TimeSpan = 19,
    /// <summary>A <see cref="DateOnly"/>.</summary>
    DateOnly = 20,
    /// <summary>A <see cref="TimeOnly"/>.</summary>
    TimeOnly = 21,
    /// <summary>Bytes, length-prefixed; long runs are replaced by their SHA-256.</summary>
    Bytes = 22,
    /// <summary>An enum: its type name, then its underlying value.</summary>
    Enum = 23,
    /// <summary>The start of a sequence: the element count follows.</summary>
    Sequence = 24,
    /// <summary>The start of a composite (record, struct, class): its type name follows.</summary>
    Object = 25,
    /// <summary>A parameter or member name.</summary>
    Name = 26,
    /// <summary>The scope of a key: declaring type, method, version and result shape.</summary>
    Scope = 27,
    /// <summary>Format 1: a key given as a plain string, UTF-8. No longer written: see <see cref="RawKeyUtf16"/>.</summary>
    RawKey = 28,
    /// <summary>An <see cref="Int128"/> or <see cref="UInt128"/> value.</summary>
    Int128 = 29,
    /// <summary>A <see cref="Half"/>, by its exact bits.</summary>
    Half = 30,
    /// <summary>A string value by its UTF-16 code units, little-endian and length-prefixed (format 2; <see cref="String"/> was format 1).</summary>
    StringUtf16 = 31,
    /// <summary>A plain string key by its UTF-16 code units (format 2; <see cref="RawKey"/> was format 1).</summary>
    RawKeyUtf16 = 32,
    /// <summary>The start of a tuple or key-value pair: the arity follows, then each item.</summary>
    Tuple = 33,
    /// <summary>A set or a dictionary's entries: the count follows, then the elements sorted by their encoding.</summary>
    Unordered = 34,
    /// <summary>A type argument of a generic cached method, by its full name.</summary>
    TypeArgument = 35,
}
