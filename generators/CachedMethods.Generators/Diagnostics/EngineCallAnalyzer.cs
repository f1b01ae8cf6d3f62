using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CachedMethods.Generators.Emit;
using CachedMethods.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CachedMethods.Generators.Diagnostics;

/// <summary>
/// Reports CM0041: a call to a <c>CacheManager</c> method (GetOrCreateAsync, SetAsync, GetAsync, ...) whose value
/// type has no formatter, neither among the runtime's exact ones nor in a generated resolver. Such a value is
/// returned but kept in memory only. The generated resolvers are read from the compilation itself (the
/// generator's output is part of it), from the list their GeneratedFormatters attribute carries.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EngineCallAnalyzer : DiagnosticAnalyzer
{
    private const string GeneratedFormattersAttribute = "CachedMethods.Serialization.GeneratedFormattersAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.NoFormatterForEngineCall);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var cacheManager = start.Compilation.GetTypeByMetadataName(TypeFacts.CacheManager);
            if (cacheManager is null)
            {
                return;
            }

            var covered = GeneratedTypes(start.Compilation);
            start.RegisterOperationAction(operation => Analyze(operation, cacheManager, covered), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol cacheManager, HashSet<ITypeSymbol> covered)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, cacheManager) || method.Name == "TryGetMemory")
        {
            return;
        }

        for (var i = 0; i < method.TypeParameters.Length; i++)
        {
            if (method.TypeParameters[i].Name != "T")
            {
                continue;
            }

            var type = method.TypeArguments[i];
            if (type is ITypeParameterSymbol or IErrorTypeSymbol || IsBuiltIn(type) || covered.Contains(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)))
            {
                return;
            }

            var location = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                ? access.Name.GetLocation()
                : invocation.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.NoFormatterForEngineCall,
                location,
                type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(),
                method.Name));
            return;
        }
    }

    /// <summary>The runtime's exact formatters (CachedMethods.Serialization.BuiltInFormatters).</summary>
    private static bool IsBuiltIn(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return true;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return KnownFormatters.Exact.Contains(TypeFacts.MetadataName(type));
    }

    /// <summary>Every type listed by a generated resolver in this compilation or an assembly it references.</summary>
    private static HashSet<ITypeSymbol> GeneratedTypes(Compilation compilation)
    {
        var types = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        var name = FormatterEmitter.ResolverNamespace + "." + FormatterEmitter.ResolverName;
        var assemblies = new[] { compilation.Assembly }.Concat(compilation.SourceModule.ReferencedAssemblySymbols);
        foreach (var assembly in assemblies)
        {
            var resolver = assembly.GetTypeByMetadataName(name);
            var listed = resolver is null ? null : TypeFacts.FindAttribute(resolver, GeneratedFormattersAttribute);
            if (listed is null || listed.ConstructorArguments.Length != 1)
            {
                continue;
            }

            foreach (var value in listed.ConstructorArguments[0].Values)
            {
                if (value.Value is ITypeSymbol type)
                {
                    types.Add(type);
                }
            }
        }

        return types;
    }
}
