using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Finds what a caller could change in a cached result (CM0025). A memory hit hands every caller the same
/// instance, so a setter, a writable field or a mutable collection anywhere in the result is shared state.
/// A struct at the top is copied on return, but what it points to is not.
/// </summary>
internal static class MutabilityChecker
{
    private static readonly HashSet<string> MutableFrameworkTypes = new(System.StringComparer.Ordinal)
    {
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.SortedSet`1", "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.Queue`1", "System.Collections.Generic.Stack`1", "System.Collections.Generic.LinkedList`1",
        "System.Collections.Generic.PriorityQueue`2", "System.Collections.ObjectModel.Collection`1", "System.Collections.ObjectModel.ObservableCollection`1",
        "System.Collections.Concurrent.ConcurrentDictionary`2", "System.Collections.Concurrent.ConcurrentBag`1",
        "System.Collections.Concurrent.ConcurrentQueue`1", "System.Collections.Concurrent.ConcurrentStack`1",
        "System.Collections.Generic.IList`1", "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IDictionary`2",
        "System.Collections.Generic.ISet`1", "System.Memory`1", "System.Text.StringBuilder", "System.Collections.ArrayList",
        "System.Collections.Hashtable", "System.IO.MemoryStream", "System.Data.DataTable", "System.Data.DataSet",
    };

    /// <summary>What a caller could change, or <see langword="null"/> when the result is immutable.</summary>
    public static string? Check(ITypeSymbol type) => Check(type, TypeFacts.ShortName(type), isTop: true, new HashSet<string>());

    private static string? Check(ITypeSymbol type, string path, bool isTop, HashSet<string> visited)
    {
        switch (type)
        {
            case IErrorTypeSymbol or ITypeParameterSymbol or IPointerTypeSymbol or IFunctionPointerTypeSymbol or IDynamicTypeSymbol:
                return null;
            case IArrayTypeSymbol:
                return $"'{path}' is an array, whose elements a caller can replace";
        }

        if (type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.Enum or TypeKind.Delegate || type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (TypeFacts.IsFrameworkType(named))
        {
            if (MutableFrameworkTypes.Contains(TypeFacts.MetadataName(named)))
            {
                return $"'{path}' is a {Short(named)}, which a caller can change";
            }

            // Other framework types (ImmutableArray<T>, IReadOnlyList<T>, KeyValuePair, tuples...) are read-only
            // themselves; what they hold may not be.
            foreach (var argument in named.TypeArguments)
            {
                if (Check(argument, path, isTop: false, visited) is { } reason)
                {
                    return reason;
                }
            }

            return named.IsTupleType ? TupleItems(named, path, visited) : null;
        }

        var name = TypeFacts.CanonicalName(named);
        if (!visited.Add(name))
        {
            return null;
        }

        for (var t = named; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                var (memberType, writable) = member switch
                {
                    IPropertySymbol { IsIndexer: false } p => (p.Type, p.SetMethod is { IsInitOnly: false, DeclaredAccessibility: Accessibility.Public }),
                    IFieldSymbol { IsConst: false, AssociatedSymbol: null } f => (f.Type, !f.IsReadOnly),
                    _ => (null, false),
                };
                if (memberType is null)
                {
                    continue;
                }

                var memberPath = path + "." + member.Name;

                // A struct returned by value is a copy: its own setters change only the caller's copy.
                if (writable && !(isTop && named.IsValueType))
                {
                    return member is IFieldSymbol ? $"'{memberPath}' is a writable field" : $"'{memberPath}' has a public setter";
                }

                if (Check(memberType, memberPath, isTop: false, visited) is { } reason)
                {
                    return reason;
                }
            }
        }

        return null;
    }

    private static string? TupleItems(INamedTypeSymbol tuple, string path, HashSet<string> visited) =>
        tuple.TupleElements.Select(e => Check(e.Type, path + "." + e.Name, isTop: false, visited)).FirstOrDefault(r => r is not null);

    private static string Short(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
}
