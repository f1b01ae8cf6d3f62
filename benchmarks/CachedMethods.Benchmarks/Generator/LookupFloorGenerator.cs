using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Benchmarks.Generator;

/// <summary>
/// The floor under any generator driven by <c>[Cached]</c>: <c>ForAttributeWithMetadataName</c> with a transform
/// that only returns the method's name, and an output that writes nothing. Its time after an unrelated edit is
/// what Roslyn itself charges for finding the attributed methods and binding them again in the new compilation,
/// before a generator does any work of its own.
/// </summary>
public sealed class LookupFloorGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "CachedMethods.CachedAttribute",
            static (node, _) => node is MethodDeclarationSyntax,
            static (syntax, _) => syntax.TargetSymbol.Name);
        context.RegisterSourceOutput(names.Collect(), static (_, _) => { });
    }
}
