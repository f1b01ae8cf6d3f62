using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CachedMethods.Generators.Model;
using CachedMethods.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CachedMethods.Generators.Diagnostics;

/// <summary>
/// Reports the key and surface diagnostics of [Cached] methods. It runs the same parser as the
/// generator, so what it reports is exactly why the generator did not cache a method; being an
/// analyzer, its diagnostics honour #pragma and .editorconfig and never invalidate generated source.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CachedMethodsAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.All);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(TypeFacts.CachedAttribute) is null)
            {
                return;
            }

            start.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
            start.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => AnalyzeSerializable(end.Compilation.Assembly, end.ReportDiagnostic, end.CancellationToken));
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        var attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass is { } c && TypeFacts.MetadataName(c) == TypeFacts.CachedAttribute);
        if (attribute is null)
        {
            return;
        }

        var sink = DiagnosticSink.Collecting();
        var surface = SurfaceResolver.Resolve(method, sink, context.CancellationToken);
        var scopeType = surface.Kind == SurfaceKind.Interface ? surface.Interface! : method.ContainingType;
        var signature = surface.InterfaceMethod ?? method;
        var site = new MethodParser.CallSite(scopeType, method.Name, TargetOwner.Inner, "_cache", "options");
        MethodParser.Parse(method, signature, attribute, site, new Dictionary<string, ObjectEncoderModel>(), sink, context.CancellationToken);
        foreach (var diagnostic in sink.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// The invalidation methods are planned per generated type, across all of its cached methods, so their
    /// diagnostics (CM0019, CM0020) are reported per declaring type rather than per method.
    /// </summary>
    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        AnalyzeSerializable(context.Symbol, context.ReportDiagnostic, context.CancellationToken);
        foreach (var diagnostic in TargetParser.InvalidatorDiagnostics((INamedTypeSymbol)context.Symbol, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>CM0040: a type named by [CacheSerializable] on the assembly or a class that cannot round-trip exactly.</summary>
    private static void AnalyzeSerializable(ISymbol holder, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var attribute in holder.GetAttributes())
        {
            if (attribute.AttributeClass is not { } c || TypeFacts.MetadataName(c) != FormatterRootParser.CacheSerializableAttribute
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
