using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// The types the generator does not write formatters for, because a formatter that emits no code already
/// exists: the runtime's exact formatters (CachedMethods.Serialization.BuiltInFormatters, which must list the
/// same types) and MessagePack's generic collection formatters, instantiated with closed types.
/// </summary>
internal static class KnownFormatters
{
    /// <summary>Types the runtime stores exactly without generated code (metadata names).</summary>
    public static readonly HashSet<string> Exact = new()
    {
        "System.String", "System.Boolean", "System.Char", "System.SByte", "System.Byte", "System.Int16", "System.UInt16",
        "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Half",
        "System.Decimal", "System.Int128", "System.UInt128", "System.Numerics.BigInteger", "System.DateTime",
        "System.DateTimeOffset", "System.TimeSpan", "System.DateOnly", "System.TimeOnly", "System.Guid", "System.Version",
        "System.Uri",
    };

    /// <summary>
    /// The primitives generated code writes and reads directly, by MessagePack reader method; a string goes
    /// straight to the runtime's exact string formatter.
    /// </summary>
    public static readonly Dictionary<SpecialType, string> Primitives = new()
    {
        [SpecialType.System_Boolean] = "Boolean",
        [SpecialType.System_Char] = "Char",
        [SpecialType.System_SByte] = "SByte",
        [SpecialType.System_Byte] = "Byte",
        [SpecialType.System_Int16] = "Int16",
        [SpecialType.System_UInt16] = "UInt16",
        [SpecialType.System_Int32] = "Int32",
        [SpecialType.System_UInt32] = "UInt32",
        [SpecialType.System_Int64] = "Int64",
        [SpecialType.System_UInt64] = "UInt64",
        [SpecialType.System_Single] = "Single",
        [SpecialType.System_Double] = "Double",
        [SpecialType.System_String] = "String",
    };

    /// <summary>
    /// Generic types with a formatter class that takes the same type arguments. <c>HashesKey</c>: the first type
    /// argument is hashed on read, with MessagePack's untrusted-data comparer, which knows only some key types.
    /// </summary>
    public static readonly Dictionary<string, (string Formatter, bool HashesKey)> Generic = new()
    {
        ["System.Nullable`1"] = (MessagePack("NullableFormatter"), false),
        ["System.Collections.Generic.List`1"] = (MessagePack("ListFormatter"), false),
        ["System.Collections.Generic.Dictionary`2"] = (MessagePack("DictionaryFormatter"), true),
        ["System.Collections.Generic.HashSet`1"] = (MessagePack("HashSetFormatter"), true),
        ["System.Collections.Generic.SortedDictionary`2"] = (MessagePack("SortedDictionaryFormatter"), false),
        ["System.Collections.Generic.SortedList`2"] = (MessagePack("SortedListFormatter"), false),
        ["System.Collections.Generic.Queue`1"] = (MessagePack("QueueFormatter"), false),
        ["System.Collections.Generic.Stack`1"] = (MessagePack("StackFormatter"), false),
        ["System.Collections.Generic.LinkedList`1"] = (MessagePack("LinkedListFormatter"), false),
        ["System.Collections.Generic.KeyValuePair`2"] = (MessagePack("KeyValuePairFormatter"), false),
        ["System.Collections.Generic.IEnumerable`1"] = (MessagePack("InterfaceEnumerableFormatter"), false),
        ["System.Collections.Generic.ICollection`1"] = (MessagePack("InterfaceCollectionFormatter2"), false),
        ["System.Collections.Generic.IList`1"] = (MessagePack("InterfaceListFormatter2"), false),
        ["System.Collections.Generic.IReadOnlyCollection`1"] = (MessagePack("InterfaceReadOnlyCollectionFormatter"), false),
        ["System.Collections.Generic.IReadOnlyList`1"] = (MessagePack("InterfaceReadOnlyListFormatter"), false),
        ["System.Collections.Generic.ISet`1"] = (MessagePack("InterfaceSetFormatter"), true),
        ["System.Collections.Generic.IDictionary`2"] = (MessagePack("InterfaceDictionaryFormatter"), true),
        ["System.Collections.Generic.IReadOnlyDictionary`2"] = (MessagePack("InterfaceReadOnlyDictionaryFormatter"), true),
        ["System.Collections.ObjectModel.ReadOnlyCollection`1"] = (MessagePack("ReadOnlyCollectionFormatter"), false),
        ["System.Collections.ObjectModel.ReadOnlyDictionary`2"] = (MessagePack("ReadOnlyDictionaryFormatter"), true),
        ["System.Collections.Immutable.ImmutableArray`1"] = (Runtime("ImmutableArrayFormatter"), false),
        ["System.Collections.Immutable.ImmutableList`1"] = (Runtime("ImmutableListFormatter"), false),
        ["System.Collections.Immutable.ImmutableHashSet`1"] = (Runtime("ImmutableHashSetFormatter"), true),
        ["System.Collections.Immutable.ImmutableDictionary`2"] = (Runtime("ImmutableDictionaryFormatter"), true),
        ["System.ValueTuple`1"] = (MessagePack("ValueTupleFormatter"), false),
        ["System.ValueTuple`2"] = (MessagePack("ValueTupleFormatter"), false),
        ["System.ValueTuple`3"] = (MessagePack("ValueTupleFormatter"), false),
        ["System.ValueTuple`4"] = (MessagePack("ValueTupleFormatter"), false),
        ["System.ValueTuple`5"] = (MessagePack("ValueTupleFormatter"), false),
        ["System.ValueTuple`6"] = (MessagePack("ValueTupleFormatter"), false),
        ["System.ValueTuple`7"] = (MessagePack("ValueTupleFormatter"), false),
        ["System.Tuple`1"] = (MessagePack("TupleFormatter"), false),
        ["System.Tuple`2"] = (MessagePack("TupleFormatter"), false),
        ["System.Tuple`3"] = (MessagePack("TupleFormatter"), false),
        ["System.Tuple`4"] = (MessagePack("TupleFormatter"), false),
        ["System.Tuple`5"] = (MessagePack("TupleFormatter"), false),
        ["System.Tuple`6"] = (MessagePack("TupleFormatter"), false),
        ["System.Tuple`7"] = (MessagePack("TupleFormatter"), false),
    };

    /// <summary>Array formatters by rank; byte[] is in the runtime's exact list.</summary>
    public static readonly string[] ArrayByRank =
    {
        string.Empty,
        MessagePack("ArrayFormatter"),
        MessagePack("TwoDimensionalArrayFormatter"),
        MessagePack("ThreeDimensionalArrayFormatter"),
        MessagePack("FourDimensionalArrayFormatter"),
    };

    /// <summary>
    /// Whether MessagePack's untrusted-data reader can hash <paramref name="key"/>: it refuses every other key
    /// type of a dictionary or set, because its hash could be flooded.
    /// </summary>
    public static bool IsHashableKey(ITypeSymbol key)
    {
        if (key is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            return underlying.SpecialType is SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16
                or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32;
        }

        return key.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte
                or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32
                or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single
                or SpecialType.System_Double or SpecialType.System_String or SpecialType.System_DateTime
            || TypeFacts.MetadataName(key) is "System.Guid" or "System.DateTimeOffset";
    }

    private static string MessagePack(string name) => "global::MessagePack.Formatters." + name;

    private static string Runtime(string name) => "global::CachedMethods.Serialization.Formatters." + name;
}
