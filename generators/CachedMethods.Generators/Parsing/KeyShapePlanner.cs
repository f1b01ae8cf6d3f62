using System.Collections.Generic;
using System.Linq;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Decides how a key parameter's type is encoded, or why it cannot be. Every rule answers one question:
/// does the encoding cover all the state of the argument that can tell two arguments apart? Built-in
/// values and the collections below are complete by construction; a type of the user's is complete when
/// the generator can read every instance field it and its base classes hold (see
/// <see cref="KeyCompleteness"/>); anything else must encode itself (ICacheKeyEncodable).
/// </summary>
internal sealed class KeyShapePlanner
{
    private readonly Dictionary<string, ObjectEncoderModel> _encoders;
    private readonly HashSet<string> _inProgress = new();
    private readonly IAssemblySymbol _assembly;

    /// <param name="encoders">The composite encoders of the generated type, shared by its methods.</param>
    /// <param name="assembly">The assembly being compiled: only its types can be keyed member by member.</param>
    public KeyShapePlanner(Dictionary<string, ObjectEncoderModel> encoders, IAssemblySymbol assembly)
    {
        _encoders = encoders;
        _assembly = assembly;
    }

    /// <summary>The outcome of planning one type.</summary>
    public readonly struct Result
    {
        private Result(KeyShape? shape, string? reason)
        {
            Shape = shape;
            Reason = reason;
        }

        public KeyShape? Shape { get; }

        /// <summary>Why the type has no encoding; <see langword="null"/> with no shape means an erroneous type.</summary>
        public string? Reason { get; }

        public static Result Ok(KeyShape shape) => new(shape, null);

        public static Result Fail(string reason) => new(null, reason);

        public static Result Unknown => new(null, null);
    }

    public Result Plan(ITypeSymbol type)
    {
        var display = TypeFacts.Display(type);
        switch (type)
        {
            case IErrorTypeSymbol:
                return Result.Unknown;
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return Result.Fail("a pointer has no value to key by");
            case ITypeParameterSymbol typeParameter:
                return PlanTypeParameter(typeParameter, display);
            case IDynamicTypeSymbol:
                return Result.Fail("'dynamic' has no fixed type, so its encoding cannot be chosen at compile time");
            case IArrayTypeSymbol array:
                return PlanArray(array, display);
        }

        if (type.IsRefLikeType)
        {
            return Result.Fail("a ref struct cannot be stored in the state of a cached call");
        }

        if (type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T && type is INamedTypeSymbol { TypeArguments.Length: 1 } nullable)
        {
            var inner = Plan(nullable.TypeArguments[0]);
            return inner.Shape is { } element
                ? Result.Ok(new KeyShape(KeyShapeKind.Nullable, display, element, null, false))
                : inner;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte
                or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
                or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Decimal or SpecialType.System_Single
                or SpecialType.System_Double or SpecialType.System_String or SpecialType.System_DateTime:
                return Result.Ok(new KeyShape(KeyShapeKind.Append, display, null, null, type.IsReferenceType));
            case SpecialType.System_IntPtr or SpecialType.System_UIntPtr:
                return Result.Fail("nint and nuint have a platform-dependent size; use int or long");
            case SpecialType.System_Object:
                return Result.Fail("'object' has no fixed type, so its encoding cannot be chosen at compile time");
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return Result.Ok(new KeyShape(KeyShapeKind.Enum, display, null, null, false));
        }

        // Custom encodings win over every structural rule below.
        if (TypeFacts.Implements(type, TypeFacts.CacheKeyEncodable))
        {
            return Result.Ok(new KeyShape(KeyShapeKind.Encodable, display, null, null, type.IsReferenceType));
        }

        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
        {
            var items = tuple.TupleElements.Select((e, i) => (Name: "Item" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Type));
            return PlanTuple(items, display, isReference: false);
        }

        var metadataName = TypeFacts.MetadataName(type);
        switch (metadataName)
        {
            case "System.Guid" or "System.DateTimeOffset" or "System.TimeSpan" or "System.DateOnly" or "System.TimeOnly"
                or "System.Int128" or "System.UInt128" or "System.Half":
                return Result.Ok(new KeyShape(KeyShapeKind.Append, display, null, null, false));
            case "System.ReadOnlyMemory`1" when IsByteArgument(type):
                return Result.Ok(new KeyShape(KeyShapeKind.Append, display, null, null, false));
            case "System.Memory`1" when IsByteArgument(type):
                return Result.Ok(new KeyShape(KeyShapeKind.MemoryBytes, display, null, null, false));
            case "System.Collections.Generic.List`1" or "System.Collections.Generic.IList`1" or "System.Collections.Generic.IReadOnlyList`1"
                or "System.Collections.ObjectModel.ReadOnlyCollection`1" or "System.Collections.Immutable.ImmutableList`1"
                or "System.Collections.Immutable.IImmutableList`1":
                return PlanSequence(type, display, KeyShapeKind.IndexedSequence);
            case "System.Collections.Immutable.ImmutableArray`1":
                return PlanSequence(type, display, KeyShapeKind.ImmutableArray);
            case "System.Collections.Generic.ICollection`1" or "System.Collections.Generic.IReadOnlyCollection`1":
                return PlanSequence(type, display, KeyShapeKind.CountedSequence);
            case "System.Collections.Generic.IEnumerable`1":
                return PlanSequence(type, display, KeyShapeKind.EnumerableSequence);
            case "System.Collections.Generic.HashSet`1" or "System.Collections.Generic.ISet`1" or "System.Collections.Generic.IReadOnlySet`1"
                or "System.Collections.Generic.SortedSet`1" or "System.Collections.Immutable.ImmutableHashSet`1"
                or "System.Collections.Immutable.ImmutableSortedSet`1" or "System.Collections.Immutable.IImmutableSet`1"
                or "System.Collections.Frozen.FrozenSet`1":
                return PlanSequence(type, display, KeyShapeKind.UnorderedSet);
            case "System.Collections.Generic.Dictionary`2" or "System.Collections.Generic.IDictionary`2"
                or "System.Collections.Generic.IReadOnlyDictionary`2" or "System.Collections.Generic.SortedDictionary`2"
                or "System.Collections.Generic.SortedList`2" or "System.Collections.Concurrent.ConcurrentDictionary`2"
                or "System.Collections.ObjectModel.ReadOnlyDictionary`2" or "System.Collections.Immutable.ImmutableDictionary`2"
                or "System.Collections.Immutable.ImmutableSortedDictionary`2" or "System.Collections.Immutable.IImmutableDictionary`2"
                or "System.Collections.Frozen.FrozenDictionary`2":
                return PlanDictionary((INamedTypeSymbol)type, display);
            case "System.Collections.Generic.KeyValuePair`2":
                var pair = (INamedTypeSymbol)type;
                return PlanTuple(new[] { ("Key", pair.TypeArguments[0]), ("Value", pair.TypeArguments[1]) }, display, isReference: false);
            case "System.Tuple`1" or "System.Tuple`2" or "System.Tuple`3" or "System.Tuple`4" or "System.Tuple`5" or "System.Tuple`6" or "System.Tuple`7":
                var reference = (INamedTypeSymbol)type;
                return PlanTuple(reference.TypeArguments.Select((t, i) => ("Item" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), t)), display, isReference: true);
            case "System.Threading.CancellationToken":
                return Result.Fail("a CancellationToken never changes the result");
        }

        if (type.TypeKind == TypeKind.Delegate)
        {
            return Result.Fail("a delegate is code, which has no value to key by");
        }

        if (InheritsFrom(type, "System.IO.Stream"))
        {
            return Result.Fail("a stream's content is read, not compared; key by a hash of the content instead");
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            return Result.Fail("an interface can hide any runtime type, so its state is unknown at compile time");
        }

        if (TypeFacts.IsFrameworkType(type))
        {
            return Result.Fail("it is a framework type with no deterministic key encoding, and its ToString() may not tell values apart; pass a keyable value such as its string form");
        }

        if (type.IsAbstract)
        {
            return Result.Fail("an abstract class can hide any derived type, so its state is unknown at compile time");
        }

        return type.TypeKind is TypeKind.Class or TypeKind.Struct
            ? PlanObject((INamedTypeSymbol)type)
            : Result.Fail("it has no deterministic key encoding");
    }

    private static Result PlanTypeParameter(ITypeParameterSymbol parameter, string display)
    {
        if (parameter.ConstraintTypes.Any(c => TypeFacts.Implements(c, TypeFacts.CacheKeyEncodable)))
        {
            return Result.Ok(new KeyShape(KeyShapeKind.TypeParameterEncodable, display, null, null, !parameter.IsValueType));
        }

        if (parameter.HasValueTypeConstraint && parameter.ConstraintTypes.Any(c => c.SpecialType == SpecialType.System_Enum))
        {
            return Result.Ok(new KeyShape(KeyShapeKind.Enum, display, null, null, false));
        }

        return Result.Fail($"the value of type parameter '{parameter.Name}' has no encoding known at compile time; constrain it to ICacheKeyEncodable (or 'struct, Enum'), or pass its keyed values instead");
    }

    private static bool IsByteArgument(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private static bool InheritsFrom(ITypeSymbol type, string metadataName)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (TypeFacts.Is(t, metadataName))
            {
                return true;
            }
        }

        return false;
    }

    private Result PlanArray(IArrayTypeSymbol array, string display)
    {
        if (!array.IsSZArray)
        {
            return Result.Fail("a multi-dimensional array is not supported; pass a jagged array or a list");
        }

        if (array.ElementType.SpecialType == SpecialType.System_Byte)
        {
            return Result.Ok(new KeyShape(KeyShapeKind.Append, display, null, null, true));
        }

        var element = Plan(array.ElementType);
        return element.Shape is { } shape
            ? Result.Ok(new KeyShape(KeyShapeKind.IndexedSequence, display, shape, "Length", true))
            : ElementFailure(element);
    }

    private Result PlanSequence(ITypeSymbol type, string display, KeyShapeKind kind)
    {
        var elementType = ((INamedTypeSymbol)type).TypeArguments[0];
        var element = Plan(elementType);
        var count = kind == KeyShapeKind.ImmutableArray ? "Length" : "Count";
        return element.Shape is { } shape
            ? Result.Ok(new KeyShape(kind, display, shape, count, type.IsReferenceType))
            : ElementFailure(element);
    }

    private Result PlanDictionary(INamedTypeSymbol type, string display)
    {
        var key = Plan(type.TypeArguments[0]);
        if (key.Shape is null)
        {
            return key.Reason is { } reason ? Result.Fail("its keys cannot be keyed: " + reason) : key;
        }

        var value = Plan(type.TypeArguments[1]);
        if (value.Shape is null)
        {
            return value.Reason is { } reason ? Result.Fail("its values cannot be keyed: " + reason) : value;
        }

        var items = new[] { new KeyPartModel("Key", "Key", key.Shape), new KeyPartModel("Value", "Value", value.Shape) };
        return Result.Ok(new KeyShape(KeyShapeKind.UnorderedPairs, display, null, "Count", type.IsReferenceType, items.ToEquatableArray()));
    }

    private Result PlanTuple(IEnumerable<(string Member, ITypeSymbol Type)> items, string display, bool isReference)
    {
        var parts = new List<KeyPartModel>();
        foreach (var (member, itemType) in items)
        {
            var planned = Plan(itemType);
            if (planned.Shape is null)
            {
                return planned.Reason is { } reason
                    ? Result.Fail($"its item '{member}' of type '{itemType.ToDisplayString()}' is not keyable ({reason})")
                    : planned;
            }

            parts.Add(new KeyPartModel(member, member, planned.Shape));
        }

        return Result.Ok(new KeyShape(KeyShapeKind.Tuple, display, null, null, isReference, parts.ToEquatableArray()));
    }

    private static Result ElementFailure(Result element) =>
        element.Reason is { } reason ? Result.Fail("its elements cannot be keyed: " + reason) : element;

    private Result PlanObject(INamedTypeSymbol type)
    {
        var qualified = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFacts.Qualified);
        var shape = new KeyShape(KeyShapeKind.Object, qualified, null, null, type.IsReferenceType);
        if (_encoders.ContainsKey(qualified))
        {
            return Result.Ok(shape);
        }

        if (type.IsGenericType)
        {
            return Result.Fail("a generic type is not supported as a composite key; implement ICacheKeyEncodable on it");
        }

        if (!_inProgress.Add(qualified))
        {
            return Result.Fail("it refers to itself, so member-by-member encoding would never end; implement ICacheKeyEncodable on it");
        }

        try
        {
            var state = KeyCompleteness.State(type, _assembly);
            if (state.Reason is { } incomplete)
            {
                return Result.Fail(incomplete);
            }

            var members = new List<KeyPartModel>();
            foreach (var (name, memberType) in state.Members)
            {
                var planned = Plan(memberType);
                if (planned.Shape is null)
                {
                    return planned.Reason is { } reason
                        ? Result.Fail($"its member '{name}' of type '{memberType.ToDisplayString()}' is not keyable ({reason})")
                        : planned;
                }

                members.Add(new KeyPartModel(name, "value." + TypeFacts.Escape(name), planned.Shape));
            }

            if (members.Count == 0)
            {
                return Result.Fail("it holds no state, so every value would get the same key; pass a value that tells the arguments apart, or mark the parameter [NotCacheKey]");
            }

            _encoders[qualified] = new ObjectEncoderModel(
                qualified,
                TypeFacts.CanonicalName(type),
                type.IsValueType,
                members.OrderBy(m => m.Name, System.StringComparer.Ordinal).ToEquatableArray());
            return Result.Ok(shape);
        }
        finally
        {
            _inProgress.Remove(qualified);
        }
    }
}
