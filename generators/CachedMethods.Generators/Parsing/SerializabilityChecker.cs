using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Finds result types that MessagePack 2.5's contractless resolver cannot write and read back as the
/// same type: it builds formatters only for public concrete types it can construct.
/// </summary>
internal static class SerializabilityChecker
{
    /// <summary>The reason the type cannot be stored, or <see langword="null"/> when it can.</summary>
    public static string? Check(ITypeSymbol type) => Check(type, new HashSet<string>());

    private static string? Check(ITypeSymbol type, HashSet<string> visited)
    {
        switch (type)
        {
            case IErrorTypeSymbol or ITypeParameterSymbol:
                return null;
            case IDynamicTypeSymbol:
                return "'dynamic' is read back as dictionaries and primitives, never as the type that was stored; return a concrete type";
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return "a pointer cannot be serialized";
            case IArrayTypeSymbol array:
                return Check(array.ElementType, visited);
        }

        if (type.SpecialType == SpecialType.System_Object)
        {
            return "'object' is read back as dictionaries and primitives, never as the type that was stored; return a concrete type";
        }

        if (type.TypeKind == TypeKind.Delegate)
        {
            return $"'{Name(type)}' is a delegate, which cannot be serialized";
        }

        if (type.IsRefLikeType)
        {
            return $"'{Name(type)}' is a ref struct, which cannot be stored";
        }

        var named = (INamedTypeSymbol)type;
        if (TypeFacts.IsFrameworkType(named))
        {
            for (var t = (ITypeSymbol?)named; t is not null; t = t.BaseType)
            {
                if (TypeFacts.MetadataName(t) == "System.IO.Stream")
                {
                    return "a stream cannot be serialized; return its bytes (byte[]) instead";
                }
            }

            // Framework types the standard resolver handles: check only their type arguments.
            return named.TypeArguments.Select(a => Check(a, visited)).FirstOrDefault(r => r is not null);
        }

        var name = TypeFacts.CanonicalName(named);
        if (!visited.Add(name))
        {
            return null;
        }

        if (!TypeFacts.IsEffectivelyPublic(named))
        {
            return $"'{Name(named)}' is not public, and the contractless resolver builds formatters only for public types at run time; make it public";
        }

        if ((named.TypeKind == TypeKind.Interface || named.IsAbstract) && !TypeFacts.HasAttribute(named, "MessagePack.UnionAttribute"))
        {
            return $"'{Name(named)}' is {(named.TypeKind == TypeKind.Interface ? "an interface" : "abstract")}, so MessagePack cannot know which type to create; return a concrete type or declare its subtypes with [Union]";
        }

        if (named.TypeKind is TypeKind.Enum)
        {
            return null;
        }

        var isContract = TypeFacts.HasAttribute(named, "MessagePack.MessagePackObjectAttribute");
        foreach (var (memberName, memberType, _) in ResultShapeFingerprint.SerializedMembers(named, isContract))
        {
            if (Check(memberType, visited) is { } reason)
            {
                return $"its member '{memberName}' cannot be stored: {reason}";
            }
        }

        return null;
    }

    private static string Name(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();
}
