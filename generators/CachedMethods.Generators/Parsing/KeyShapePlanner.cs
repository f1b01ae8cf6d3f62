using System.Collections.Generic;
using System.Linq;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Decides how a key parameter's type is encoded, or why it cannot be. Every rule here answers one
/// question: would two values that can give different results always get different bytes?
/// </summary>
internal sealed class KeyShapePlanner
{
    private readonly Dictionary<string, ObjectEncoderModel> _encoders;
    private readonly HashSet<string> _inProgress = new();

    public KeyShapePlanner(Dictionary<string, ObjectEncoderModel> encoders) => _encoders = encoders;

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
            case ITypeParameterSymbol:
                return Result.Fail("a type parameter's type is not known at compile time");
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
            case "System.Collections.Generic.List`1" or "System.Collections.Generic.IList`1" or "System.Collections.Generic.IReadOnlyList`1":
                return PlanSequence(type, display, KeyShapeKind.IndexedSequence);
            case "System.Collections.Generic.ICollection`1" or "System.Collections.Generic.IReadOnlyCollection`1":
                return PlanSequence(type, display, KeyShapeKind.CountedSequence);
            case "System.Collections.Generic.IEnumerable`1":
                return PlanSequence(type, display, KeyShapeKind.EnumerableSequence);
            case "System.Collections.Generic.Dictionary`2" or "System.Collections.Generic.IDictionary`2"
                or "System.Collections.Generic.IReadOnlyDictionary`2" or "System.Collections.Generic.HashSet`1"
                or "System.Collections.Generic.ISet`1" or "System.Collections.Generic.IReadOnlySet`1"
                or "System.Collections.Concurrent.ConcurrentDictionary`2":
                return Result.Fail("an unordered collection has no defined enumeration order; pass a sorted list instead");
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
            ? PlanObject((INamedTypeSymbol)type, display)
            : Result.Fail("it has no deterministic key encoding");
    }

    private static bool IsByteArgument(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private static bool InheritsFrom(ITypeSymbol type, string metadataName)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (TypeFacts.MetadataName(t) == metadataName)
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
        return element.Shape is { } shape
            ? Result.Ok(new KeyShape(kind, display, shape, "Count", true))
            : ElementFailure(element);
    }

    private static Result ElementFailure(Result element) =>
        element.Reason is { } reason ? Result.Fail("its elements cannot be keyed: " + reason) : element;

    private Result PlanObject(INamedTypeSymbol type, string display)
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
            var members = new List<KeyPartModel>();
            foreach (var member in KeyMembers(type))
            {
                var (name, memberType) = member switch
                {
                    IPropertySymbol p => (p.Name, p.Type),
                    IFieldSymbol f => (f.Name, f.Type),
                    _ => (member.Name, null!),
                };

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
                return Result.Fail("it has no public properties or fields, so every value would get the same key (a ToString() fallback would collide the same way)");
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

    /// <summary>Public instance properties with a getter and public instance fields, base types included.</summary>
    internal static IEnumerable<ISymbol> KeyMembers(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>();
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                var include = member switch
                {
                    IPropertySymbol p => !p.IsIndexer && p.GetMethod is { DeclaredAccessibility: Accessibility.Public },
                    IFieldSymbol f => !f.IsConst && f.AssociatedSymbol is null,
                    _ => false,
                };

                // A derived member that hides a base one is read once, by its most derived name.
                if (include && seen.Add(member.Name))
                {
                    yield return member;
                }
            }
        }
    }
}
