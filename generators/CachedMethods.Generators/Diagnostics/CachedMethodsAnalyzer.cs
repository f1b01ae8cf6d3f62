using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CachedMethods.Generators.Model;
using CachedMethods.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CachedMethods.Generators.Diagnostics;

/// <summary>
/// Reports the key and surface diagnostics of [Cached] methods. It runs the same parser as the
/// generator, so what it reports is exactly why the generator did not cache a method; being an
/// analyzer, its diagnostics honour #pragma and .editorconfig and never invalidate generated source.
/// What needs more than the generator looks at (the body of a Core method, every Name in the
/// compilation) is checked only here, so the generator stays fast.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CachedMethodsAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.All);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        // A cached partial method has a generated part, which makes the compiler count the whole method as
        // generated code: without Analyze its diagnostics would vanish from real builds. Diagnostics located
        // in generated code are still not reported.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(TypeFacts.CachedAttribute) is null)
            {
                return;
            }

            var names = new ConcurrentBag<(string Name, IMethodSymbol Method, Location? Location)>();
            start.RegisterSymbolAction(c => AnalyzeMethod(c, names), SymbolKind.Method);
            start.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
            start.RegisterSyntaxNodeAction(AnalyzeFunction, SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression, SyntaxKind.SimpleLambdaExpression);
            start.RegisterCompilationEndAction(end => ReportDuplicateNames(end, names));
            start.RegisterCompilationEndAction(end => AnalyzeSerializable(end.Compilation.Assembly, end.ReportDiagnostic, end.CancellationToken));
        });
    }

    private static AttributeData? CachedAttributeOf(ISymbol symbol) =>
        TypeFacts.FindAttribute(symbol, TypeFacts.CachedAttribute);

    private static void AnalyzeMethod(SymbolAnalysisContext context, ConcurrentBag<(string, IMethodSymbol, Location?)> names)
    {
        var method = (IMethodSymbol)context.Symbol;

        // A partial method is analyzed once, through its definition; its implementation part shares the attributes.
        var attribute = method.PartialDefinitionPart is null ? CachedAttributeOf(method) : null;
        if (attribute is null)
        {
            return;
        }

        if (NoEffectReason(method) is { } noEffect)
        {
            var where = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? method.Locations.FirstOrDefault();
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CachedHasNoEffect, where, method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), noEffect));
            return;
        }

        var sink = DiagnosticSink.Collecting();
        var surface = SurfaceResolver.Resolve(method, sink, context.CancellationToken);
        var scopeType = surface.Kind == SurfaceKind.Interface ? surface.Interface! : method.ContainingType;
        var signature = surface.InterfaceMethod ?? method;
        var site = new MethodParser.CallSite(scopeType, method.Name, TargetOwner.Inner, "this._cache", "options", string.Empty);
        MethodParser.Parse(method, signature, attribute, site, new Dictionary<string, ObjectEncoderModel>(), null, sink, context.CancellationToken);
        foreach (var diagnostic in sink.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }

        var data = CachedAttributeData.Read(attribute, context.CancellationToken);
        var methodName = method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        if (data.Name is { } name)
        {
            names.Add((name, method, data.LocationOf("Name") ?? method.Locations.FirstOrDefault()));
        }

        if (!data.AllowMutableResult && ResultType(method) is { } result && MutabilityChecker.Check(result) is { } mutable)
        {
            var returnType = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<MethodDeclarationSyntax>()
                .Select(m => m.ReturnType.GetLocation()).FirstOrDefault() ?? method.Locations.FirstOrDefault();
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MutableResult, returnType, TypeFacts.ShortName(result), methodName, mutable));
        }

        if (surface is { Kind: SurfaceKind.Partial, Core: { } core } && !data.AllowUnkeyedState && !sink.HasErrors)
        {
            foreach (var read in UnkeyedStateFinder.Find(core, context.Compilation, context.CancellationToken))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CoreReadsUnkeyedState, read.Location, read.Reader, read.Kind, read.Member, methodName));
            }
        }
    }

    /// <summary>Why [Cached] on <paramref name="method"/> can never take effect, or <see langword="null"/>.</summary>
    private static string? NoEffectReason(IMethodSymbol method) => method.MethodKind switch
    {
        MethodKind.Constructor or MethodKind.StaticConstructor => "a constructor always makes a new instance, so there is nothing to cache",
        MethodKind.Destructor => "a finalizer is called by the runtime, never through a cache",
        MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove => "an accessor is not a method the generator can wrap",
        MethodKind.UserDefinedOperator or MethodKind.Conversion => "an operator is static and called directly, never through a decorator",
        MethodKind.Ordinary when method.IsStatic && method.ContainingType.TypeKind == TypeKind.Interface =>
            "a static interface member belongs to the type, not to the instance a decorator wraps",
        _ => null,
    };

    private static ITypeSymbol? ResultType(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return null;
        }

        var metadataName = TypeFacts.MetadataName(method.ReturnType);
        return metadataName is "System.Threading.Tasks.Task`1" or "System.Threading.Tasks.ValueTask`1"
            ? ((INamedTypeSymbol)method.ReturnType).TypeArguments[0]
            : metadataName is "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask" ? null : method.ReturnType;
    }

    /// <summary>[Cached] on a local function or a lambda: the generator never sees them (CM0022).</summary>
    private static void AnalyzeFunction(SyntaxNodeAnalysisContext context)
    {
        var attributeLists = context.Node switch
        {
            LocalFunctionStatementSyntax local => local.AttributeLists,
            LambdaExpressionSyntax lambda => lambda.AttributeLists,
            _ => default,
        };
        foreach (var attribute in attributeLists.SelectMany(l => l.Attributes))
        {
            if (context.SemanticModel.GetSymbolInfo(attribute, context.CancellationToken).Symbol is IMethodSymbol { ContainingType: { } type }
                && TypeFacts.Is(type, TypeFacts.CachedAttribute))
            {
                var (what, name) = context.Node is LocalFunctionStatementSyntax f ? ("a local function", f.Identifier.ValueText) : ("a lambda", "lambda");
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CachedHasNoEffect, attribute.GetLocation(), name, what + " is called directly, never through a decorator or a generated body"));
            }
        }
    }

    /// <summary>
    /// The invalidation methods are planned per generated type, across all of its cached methods, so their
    /// diagnostics (CM0019, CM0020) are reported per declaring type rather than per method; so are the
    /// [CacheKey] members of a partial class (CM0024).
    /// </summary>
    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AnalyzeSerializable(type, context.ReportDiagnostic, context.CancellationToken);
        foreach (var diagnostic in TargetParser.InvalidatorDiagnostics(type, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }

        if (type.GetMembers().OfType<IMethodSymbol>().Any(m => CachedAttributeOf(m) is not null && SurfaceResolver.IsPartialDefinition(m, context.CancellationToken)))
        {
            foreach (var diagnostic in SelfKeyPlanner.Plan(type, new Dictionary<string, ObjectEncoderModel>(), context.CancellationToken).Diagnostics)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    /// <summary>Two methods with one Name would read each other's entries (CM0021): each is told about the other.</summary>
    private static void ReportDuplicateNames(CompilationAnalysisContext context, ConcurrentBag<(string Name, IMethodSymbol Method, Location? Location)> names)
    {
        foreach (var group in names.GroupBy(n => n.Name, System.StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var methods = group.OrderBy(g => g.Location?.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(g => g.Location?.SourceSpan.Start).ToList();
            for (var i = 0; i < methods.Count; i++)
            {
                var other = methods[i == 0 ? 1 : 0];
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.DuplicateName,
                    methods[i].Location,
                    group.Key,
                    methods[i].Method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                    other.Method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
            }
        }
    }

    /// <summary>CM0040: a type named by [CacheSerializable] on the assembly or a class that cannot round-trip exactly.</summary>
    private static void AnalyzeSerializable(ISymbol holder, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var attribute in holder.GetAttributes())
        {
            if (!TypeFacts.Is(attribute.AttributeClass, FormatterRootParser.CacheSerializableAttribute)
                || FormatterRootParser.TypeOf(attribute) is not { } type)
            {
                continue;
            }

            var location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();
            foreach (var reason in ValueShapeWalker.Walk(type, holder as IAssemblySymbol ?? holder.ContainingAssembly).Problems)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.SerializableTypeNotStorable, location, type.ToDisplayString(), reason));
            }
        }
    }
}
