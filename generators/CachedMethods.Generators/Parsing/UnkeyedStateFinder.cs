using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Finds the state a partial method's <c>Core</c> reads that is not in the key (CM0023): the instance's
/// fields, auto-properties and captured primary-constructor parameters, and the project's mutable static
/// fields and settable static properties. It follows calls to the class's own methods and computed
/// properties, so state read through a helper is found too. Members marked [CacheKey] are in the key;
/// members marked [NotCacheKey], the CacheManager, loggers and constants are not state that changes a result.
/// </summary>
internal static class UnkeyedStateFinder
{
    /// <summary>One read of unkeyed state.</summary>
    internal readonly record struct Read(string Reader, string Kind, string Member, Location Location);

    public static List<Read> Find(IMethodSymbol core, Compilation compilation, CancellationToken cancellationToken)
    {
        var type = core.ContainingType;
        var reads = new List<Read>();
        var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var work = new Stack<ISymbol>();
        var keysWholeInstance = TypeFacts.Implements(type, TypeFacts.CacheKeyEncodable);
        work.Push(core);
        while (work.Count > 0)
        {
            var reader = work.Pop();
            if (!visited.Add(reader))
            {
                continue;
            }

            foreach (var reference in reader.DeclaringSyntaxReferences)
            {
                var node = reference.GetSyntax(cancellationToken);
                var body = node switch
                {
                    BaseMethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
                    AccessorDeclarationSyntax a => (SyntaxNode?)a.Body ?? a.ExpressionBody,
                    ArrowExpressionClauseSyntax arrow => arrow,
                    _ => null,
                };
                if (body is null)
                {
                    continue;
                }

                var model = compilation.GetSemanticModel(body.SyntaxTree);
                foreach (var name in body.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
                {
                    var symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
                    switch (Classify(symbol, name, type, keysWholeInstance))
                    {
                        case { } kind when symbol is not null && reported.Add(symbol):
                            reads.Add(new Read(reader.Name, kind, symbol.Name, name.GetLocation()));
                            break;
                        case null when Follow(symbol, type) is { } next:
                            work.Push(next);
                            break;
                    }
                }
            }
        }

        return reads;
    }

    /// <summary>"the field", "the static property"... for unkeyed state; <see langword="null"/> for anything else.</summary>
    private static string? Classify(ISymbol? symbol, SimpleNameSyntax name, INamedTypeSymbol type, bool keysWholeInstance)
    {
        switch (symbol)
        {
            case IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor } parameter
                when SymbolEqualityComparer.Default.Equals(constructor.ContainingType, type) && IsPrimary(constructor):
                return keysWholeInstance || IsExempt(parameter, parameter.Type) ? null : "the primary-constructor parameter";
            case IFieldSymbol { IsConst: false } field when field.IsStatic:
                return !field.IsReadOnly && IsInSource(field) && !IsExempt(field, field.Type) ? "the static field" : null;
            case IFieldSymbol field when IsOwn(field, type) && ReadsThis(name):
                return keysWholeInstance || IsExempt(field, field.Type) ? null : "the field";
            case IPropertySymbol { IsStatic: true } property:
                return property.SetMethod is { IsInitOnly: false } && IsInSource(property) && IsAuto(property) && !IsExempt(property, property.Type)
                    ? "the static property"
                    : null;
            case IPropertySymbol { IsIndexer: false } property when IsOwn(property, type) && ReadsThis(name) && IsAuto(property):
                return keysWholeInstance || IsExempt(property, property.Type) ? null : "the property";
            default:
                return null;
        }
    }

    /// <summary>The class's own method or computed property a read leads into, to look at its body too.</summary>
    private static ISymbol? Follow(ISymbol? symbol, INamedTypeSymbol type) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction } method when IsOwn(method, type) && IsInSource(method)
            && !TypeFacts.HasAttribute(method, TypeFacts.CachedAttribute) => method.OriginalDefinition,
        IPropertySymbol { GetMethod: { } getter } property when IsOwn(property, type) && IsInSource(property) && !IsAuto(property) => getter,
        _ => null,
    };

    /// <summary>
    /// Keyed, declared irrelevant, or a type that never changes a result: the CacheManager, and the logging
    /// abstractions every injected class holds (a logger writes; what it was given to write does not come
    /// back into the result). Other injected services stay reported: a client, an options object or a
    /// repository can answer differently per instance, as the "en" and "fr" translators of issue 11 do.
    /// </summary>
    private static bool IsExempt(ISymbol member, ITypeSymbol memberType) =>
        TypeFacts.HasAttribute(member, TypeFacts.CacheKeyAttribute)
        || TypeFacts.HasAttribute(member, TypeFacts.NotCacheKeyAttribute)
        || TypeFacts.Is(memberType, TypeFacts.CacheManager)
        || TypeFacts.Is(memberType, "Microsoft.Extensions.Logging.ILogger")
        || TypeFacts.Is(memberType, "Microsoft.Extensions.Logging.ILogger`1")
        || TypeFacts.Is(memberType, "Microsoft.Extensions.Logging.ILoggerFactory");

    private static bool IsOwn(ISymbol member, INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(member.ContainingType, t))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A bare name, or a name read through <c>this.</c> or <c>base.</c>: a read of this instance's state.</summary>
    private static bool ReadsThis(SimpleNameSyntax name) => name.Parent switch
    {
        MemberAccessExpressionSyntax access when access.Name == name => access.Expression is ThisExpressionSyntax or BaseExpressionSyntax,
        MemberBindingExpressionSyntax => false,
        _ => true,
    };

    private static bool IsAuto(IPropertySymbol property) =>
        property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

    private static bool IsInSource(ISymbol symbol) => symbol.Locations.Any(l => l.IsInSource);

    private static bool IsPrimary(IMethodSymbol constructor) =>
        constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax);
}
