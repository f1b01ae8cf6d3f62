using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace CachedMethods;

// Boxed values of any keyable runtime type, for CacheManager.GenerateKey.
public ref partial struct CacheKeyBuilder
{
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
