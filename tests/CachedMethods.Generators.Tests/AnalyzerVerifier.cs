using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CachedMethods.Generators.Tests;

/// <summary>
/// Runs <see cref="Diagnostics.CachedMethodsAnalyzer"/> (or another of the generator's analyzers) through
/// Microsoft.CodeAnalysis.Testing with offline references: net10.0 from Basic.Reference.Assemblies and the
/// CachedMethods runtime.
/// </summary>
internal static class AnalyzerVerifier
{
    public static DiagnosticResult Diagnostic(string id) => new(id, Severity(id));

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync<Diagnostics.CachedMethodsAnalyzer>(source, expected);

    public static async Task VerifyAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            // The generator does not run here, so partial methods have no bodies: only our diagnostics count.
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        Configure(test.TestState, test);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static void Configure<TVerifier>(SolutionState state, AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        state.AdditionalReferences.AddRange(GeneratorHarness.References);
        state.Sources.Add(("GlobalUsings.cs", GeneratorHarness.GlobalUsings));
    }

    private static DiagnosticSeverity Severity(string id) =>
        CachedMethods.Generators.Diagnostics.DiagnosticDescriptors.All.Single(d => d.Id == id).DefaultSeverity;
}
