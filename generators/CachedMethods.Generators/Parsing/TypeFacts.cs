using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CachedMethods.Generators.Parsing;

/// <summary>Names and display formats: types are compared and written by their fully-qualified names.</summary>
internal static class TypeFacts
{
    public const string CachedAttribute = "CachedMethods.CachedAttribute";
    public const string NotCacheKeyAttribute = "CachedMethods.NotCacheKeyAttribute";
    public const string CacheKeyAttribute = "CachedMethods.CacheKeyAttribute";
    public const string CacheManager = "CachedMethods.CacheManager";
    public const string CacheKeyEncodable = "CachedMethods.ICacheKeyEncodable";

    /// <summary>global::-qualified, with nullable annotations: what generated code declares.</summary>
    public static readonly SymbolDisplayFormat Declaration = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>global::-qualified, without nullable annotations: overload parameter types and patterns.</summary>
    public static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat;

    /// <summary>
    /// Namespace-qualified without global:: and without C# keywords ("System.Int32"): the names written
    /// into keys and fingerprints, which must not change with the compiler's display preferences.
    /// </summary>
    public static readonly SymbolDisplayFormat Canonical = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.ExpandNullable);

    /// <summary>The CLR metadata name: "System.Collections.Generic.List`1".</summary>
    public static string MetadataName(ITypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        var prefix = definition.ContainingType is { } outer
            ? MetadataName(outer) + "+"
            : definition.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." : string.Empty;
        return prefix + definition.MetadataName;
    }

    /// <summary>
    /// Whether <paramref name="type"/>'s <see cref="MetadataName"/> is <paramref name="metadataName"/>, compared
    /// from the end without building the name: the generator asks this of every attribute of every member it
    /// reads, on every edit.
    /// </summary>
    public static bool Is(ITypeSymbol? type, string metadataName) =>
        type is not null && EndsWithQualifiedName(type.OriginalDefinition, metadataName, metadataName.Length);

    public static bool HasAttribute(ISymbol symbol, string metadataName) => FindAttribute(symbol, metadataName) is not null;

    /// <summary>The first attribute of <paramref name="symbol"/> whose class is <paramref name="metadataName"/>.</summary>
    public static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (Is(attribute.AttributeClass, metadataName))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool Implements(ITypeSymbol type, string interfaceMetadataName) =>
        Is(type, interfaceMetadataName) || type.AllInterfaces.Any(i => Is(i, interfaceMetadataName));

    /// <summary>Whether <paramref name="name"/>[0..<paramref name="end"/>) is the metadata name of <paramref name="symbol"/>, a type or namespace.</summary>
    private static bool EndsWithQualifiedName(ISymbol symbol, string name, int end)
    {
        var own = symbol.MetadataName;
        var start = end - own.Length;
        if (start < 0 || string.CompareOrdinal(name, start, own, 0, own.Length) != 0)
        {
            return false;
        }

        if (symbol.ContainingType is { } outer)
        {
            return start > 0 && name[start - 1] == '+' && EndsWithQualifiedName(outer, name, start - 1);
        }

        return symbol.ContainingNamespace is { IsGlobalNamespace: false } ns
            ? start > 0 && name[start - 1] == '.' && EndsWithQualifiedName(ns, name, start - 1)
            : start == 0;
    }

    public static bool IsFrameworkType(ITypeSymbol type)
    {
        var ns = type.ContainingNamespace;
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: false, Name: "System" or "Microsoft" };
    }

    public static bool IsEffectivelyPublic(ISymbol symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An identifier as C# source: '@' before a keyword.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.AwaitKeyword
            ? "@" + name
            : name;

    public static string Display(ITypeSymbol type) => type.ToDisplayString(Declaration);

    public static string CanonicalName(ITypeSymbol type) => type.ToDisplayString(Canonical);

    /// <summary>The name a message shows: "List&lt;string&gt;", "Report".</summary>
    public static string ShortName(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
}
