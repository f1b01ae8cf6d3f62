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

    public static bool Is(ITypeSymbol? type, string metadataName) => type is not null && MetadataName(type) == metadataName;

    public static bool HasAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass is { } c && MetadataName(c) == metadataName);

    public static bool Implements(ITypeSymbol type, string interfaceMetadataName) =>
        Is(type, interfaceMetadataName) || type.AllInterfaces.Any(i => MetadataName(i) == interfaceMetadataName);

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
