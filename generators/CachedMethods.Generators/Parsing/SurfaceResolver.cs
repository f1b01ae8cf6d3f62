using System.Linq;
using System.Threading;
using CachedMethods.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.Parsing;

/// <summary>How a [Cached] method is completed.</summary>
internal enum SurfaceKind
{
    None,
    Interface,
    Implementation,
    Partial,
}

/// <summary>The surface of one [Cached] method and what it needs.</summary>
internal sealed record Surface(
    SurfaceKind Kind,
    INamedTypeSymbol? Interface,
    IMethodSymbol? InterfaceMethod,
    IMethodSymbol? Core,
    string? CacheExpression);

/// <summary>
/// Decides whether a [Cached] method is an interface method (decorator), a class method implementing
/// one (decorator), or a partial method (the generator writes its body), and checks what each needs.
/// </summary>
internal static class SurfaceResolver
{
    public static Surface Resolve(IMethodSymbol method, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var type = method.ContainingType;
        var methodName = new MethodDisplayName(method);
        var location = method.Locations.FirstOrDefault();
        if (type.TypeKind == TypeKind.Interface)
        {
            return new Surface(SurfaceKind.Interface, type, method, null, null);
        }

        if (IsPartialDefinition(method, cancellationToken))
        {
            for (var t = type; t is not null; t = t.ContainingType)
            {
                if (!IsPartial(t, cancellationToken))
                {
                    sink.Report(DiagnosticDescriptors.TypeNotPartial, location, t.Name, method.Name);
                    return new Surface(SurfaceKind.None, null, null, null, null);
                }
            }

            var core = FindCore(method);
            if (core is null)
            {
                sink.Report(DiagnosticDescriptors.MissingCoreMethod, location, methodName, CoreName(method.Name));
            }

            var cache = FindCacheManager(type, method.IsStatic, cancellationToken);
            if (cache is null)
            {
                sink.Report(
                    DiagnosticDescriptors.MissingCacheManager,
                    location,
                    type.Name,
                    methodName,
                    method.IsStatic ? " (static, because the method is static)" : string.Empty);
            }

            return new Surface(SurfaceKind.Partial, null, null, core, cache);
        }

        foreach (var candidate in type.AllInterfaces.OrderBy(i => i.ToDisplayString(), System.StringComparer.Ordinal))
        {
            foreach (var member in candidate.GetMembers().OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return new Surface(SurfaceKind.Implementation, candidate, member, null, null);
                }
            }
        }

        sink.Report(DiagnosticDescriptors.NoCachingSurface, location, methodName, CoreName(method.Name));
        return new Surface(SurfaceKind.None, null, null, null, null);
    }

    /// <summary>The name of the user's uncached body: "Recognize" → "RecognizeCore", "LoadAsync" → "LoadCoreAsync".</summary>
    public static string CoreName(string name) =>
        name.Length > 5 && name.EndsWith("Async", System.StringComparison.Ordinal)
            ? name.Substring(0, name.Length - 5) + "CoreAsync"
            : name + "Core";

    public static bool IsPartialDefinition(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .Any(m => m.Modifiers.Any(SyntaxKind.PartialKeyword) && m.Body is null && m.ExpressionBody is null);

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<TypeDeclarationSyntax>()
            .Any(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static IMethodSymbol? FindCore(IMethodSymbol method)
    {
        var name = CoreName(method.Name);
        for (var t = method.ContainingType; t is not null; t = t.BaseType)
        {
            foreach (var candidate in t.GetMembers(name).OfType<IMethodSymbol>())
            {
                if (candidate.Parameters.Length == method.Parameters.Length
                    && candidate.TypeParameters.Length == 0
                    && (candidate.IsStatic || !method.IsStatic)
                    && (SymbolEqualityComparer.Default.Equals(t, method.ContainingType) || candidate.DeclaredAccessibility != Accessibility.Private)
                    && SymbolEqualityComparer.Default.Equals(candidate.ReturnType, method.ReturnType)
                    && candidate.Parameters.Zip(method.Parameters, (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(x => x))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The expression generated code reads the CacheManager with, or <see langword="null"/>.</summary>
    private static string? FindCacheManager(INamedTypeSymbol type, bool forStatic, CancellationToken cancellationToken)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                var memberType = member switch
                {
                    IFieldSymbol { IsImplicitlyDeclared: false } f => f.Type,
                    IPropertySymbol { IsIndexer: false, GetMethod: not null } p => p.Type,
                    _ => null,
                };

                if (memberType is null || !TypeFacts.Is(memberType, TypeFacts.CacheManager)
                    || (forStatic && !member.IsStatic)
                    || (!SymbolEqualityComparer.Default.Equals(t, type) && member.DeclaredAccessibility == Accessibility.Private))
                {
                    continue;
                }

                // Qualified, so a parameter of the same name cannot shadow it.
                var access = member.IsStatic ? t.ToDisplayString(TypeFacts.Qualified) + "." + TypeFacts.Escape(member.Name) : "this." + TypeFacts.Escape(member.Name);
                return memberType.NullableAnnotation == NullableAnnotation.Annotated
                    ? $"({access} ?? throw new global::System.InvalidOperationException(\"{type.Name}.{member.Name} is not set: give it a CacheManager before calling a cached method.\"))"
                    : access;
            }
        }

        if (forStatic)
        {
            return null;
        }

        // A primary-constructor parameter is in scope in every part of the class.
        foreach (var constructor in type.InstanceConstructors)
        {
            var isPrimary = constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax);
            var parameter = isPrimary ? constructor.Parameters.FirstOrDefault(p => TypeFacts.Is(p.Type, TypeFacts.CacheManager)) : null;
            if (parameter is not null)
            {
                return TypeFacts.Escape(parameter.Name);
            }
        }

        return null;
    }
}
