using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// The compile-time fingerprint of a result type's serialized shape: the names and types of the
/// members MessagePack writes, recursively. It goes into every key, so a change of shape between
/// deploys is a miss rather than old bytes read into a new type.
/// </summary>
/// <remarks>
/// Members are sorted by name because the contractless resolver writes a map by name, where order
/// does not matter. The hash is FNV-1a 64 over UTF-8: stable across processes, unlike string.GetHashCode.
/// </remarks>
internal static class ResultShapeFingerprint
{
    public static string Compute(ITypeSymbol type)
    {
        var description = new StringBuilder();
        Describe(type, description, new HashSet<string>());
        return Fnv1a64(description.ToString());
    }

    private static void Describe(ITypeSymbol type, StringBuilder output, HashSet<string> stack)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                Describe(array.ElementType, output, stack);
                output.Append('[').Append(',', array.Rank - 1).Append(']');
                return;
            case INamedTypeSymbol { IsTupleType: true } tuple:
                DescribeGeneric(tuple.TupleUnderlyingType ?? tuple, output, stack);
                return;
        }

        if (type is not INamedTypeSymbol named)
        {
            output.Append(TypeFacts.CanonicalName(type));
            return;
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            output.Append("enum ").Append(TypeFacts.CanonicalName(named)).Append(':')
                .Append(TypeFacts.CanonicalName(named.EnumUnderlyingType!));
            return;
        }

        if (TypeFacts.IsFrameworkType(named) || named.TypeKind is TypeKind.Interface or TypeKind.Delegate)
        {
            DescribeGeneric(named, output, stack);
            return;
        }

        var name = TypeFacts.CanonicalName(named);
        if (!stack.Add(name))
        {
            output.Append(name);
            return;
        }

        output.Append(name).Append('{');
        var isContract = TypeFacts.HasAttribute(named, "MessagePack.MessagePackObjectAttribute");
        foreach (var (memberName, memberType, key) in SerializedMembers(named, isContract).OrderBy(m => m.Name, System.StringComparer.Ordinal))
        {
            output.Append(memberName);
            if (key is not null)
            {
                output.Append('#').Append(key);
            }

            output.Append(':');
            Describe(memberType, output, stack);
            output.Append(';');
        }

        output.Append('}');
        stack.Remove(name);
    }

    private static void DescribeGeneric(INamedTypeSymbol type, StringBuilder output, HashSet<string> stack)
    {
        var definition = TypeFacts.MetadataName(type);
        output.Append(definition);
        if (type.TypeArguments.Length > 0)
        {
            output.Append('<');
            for (var i = 0; i < type.TypeArguments.Length; i++)
            {
                if (i > 0)
                {
                    output.Append(',');
                }

                Describe(type.TypeArguments[i], output, stack);
            }

            output.Append('>');
        }
    }

    /// <summary>The members MessagePack writes: public instance fields and readable properties, minus ignored ones.</summary>
    internal static IEnumerable<(string Name, ITypeSymbol Type, string? Key)> SerializedMembers(INamedTypeSymbol type, bool isContract)
    {
        var seen = new HashSet<string>();
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || !seen.Add(member.Name))
                {
                    continue;
                }

                ITypeSymbol? memberType = member switch
                {
                    IPropertySymbol { IsIndexer: false, GetMethod: not null } p => p.Type,
                    IFieldSymbol { IsConst: false, AssociatedSymbol: null } f => f.Type,
                    _ => null,
                };

                if (memberType is null
                    || TypeFacts.HasAttribute(member, "MessagePack.IgnoreMemberAttribute")
                    || TypeFacts.HasAttribute(member, "System.Runtime.Serialization.IgnoreDataMemberAttribute"))
                {
                    continue;
                }

                string? key = null;
                if (isContract)
                {
                    var keyAttribute = member.GetAttributes().FirstOrDefault(a => a.AttributeClass is { } c && TypeFacts.MetadataName(c) == "MessagePack.KeyAttribute");
                    if (keyAttribute is null)
                    {
                        continue;
                    }

                    key = keyAttribute.ConstructorArguments.FirstOrDefault().Value is { } value
                        ? System.Convert.ToString(value, CultureInfo.InvariantCulture)
                        : null;
                }

                yield return (member.Name, memberType, key);
            }
        }
    }

    private static string Fnv1a64(string text)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
