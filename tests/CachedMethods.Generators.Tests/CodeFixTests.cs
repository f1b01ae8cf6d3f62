using CachedMethods.Generators.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CachedMethods.Generators.Tests;

/// <summary>The two fixes of CM0003: add the parameter to KeyParams, or mark it [NotCacheKey].</summary>
public sealed class CodeFixTests
{
    private const string Source = """
        public interface IOcr
        {
            [Cached(KeyParams = [nameof(documentHash)])]
            string Recognize(string documentHash, int {|CM0003:dpi|});
        }
        """;

    [Fact]
    public Task AddsTheParameterToKeyParams() => VerifyAsync(
        Source,
        """
        public interface IOcr
        {
            [Cached(KeyParams = [nameof(documentHash), nameof(dpi)])]
            string Recognize(string documentHash, int dpi);
        }
        """,
        KeyParameterCodeFixProvider.AddToKeyParams);

    [Fact]
    public Task AddsTheParameterToAnArrayCreation() => VerifyAsync(
        """
        public interface IOcr
        {
            [Cached(KeyParams = new[] { nameof(documentHash) })]
            string Recognize(string documentHash, int {|CM0003:dpi|});
        }
        """,
        """
        public interface IOcr
        {
            [Cached(KeyParams = new[] { nameof(documentHash), nameof(dpi) })]
            string Recognize(string documentHash, int dpi);
        }
        """,
        KeyParameterCodeFixProvider.AddToKeyParams);

    [Fact]
    public Task MarksTheParameterNotCacheKey() => VerifyAsync(
        Source,
        """
        public interface IOcr
        {
            [Cached(KeyParams = [nameof(documentHash)])]
            string Recognize(string documentHash, [NotCacheKey] int dpi);
        }
        """,
        KeyParameterCodeFixProvider.MarkNotCacheKey);

    private static async Task VerifyAsync(string source, string fixedSource, string equivalenceKey)
    {
        var test = new CSharpCodeFixTest<Diagnostics.CachedMethodsAnalyzer, KeyParameterCodeFixProvider, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        AnalyzerVerifier.Configure(test.TestState, test);
        test.FixedState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.FixedState.Sources.Add(("GlobalUsings.cs", GeneratorHarness.GlobalUsings));
        await test.RunAsync();
    }
}
