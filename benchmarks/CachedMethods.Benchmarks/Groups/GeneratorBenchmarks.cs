using System.Globalization;
using BenchmarkDotNet.Attributes;
using CachedMethods.Benchmarks.Generator;
using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CachedMethods.Benchmarks.Groups;

/// <summary>
/// Group 6: the time the [Cached] generator takes over a project of 100 or 1,000 [Cached] methods,
/// cold (a new driver over a compilation whose symbols are not bound yet, as in a command-line build)
/// and after an unrelated edit (a driver that has run once, over the project with one unrelated file
/// changed, as in an IDE while typing). The two <c>Floor_</c> rows run <see cref="LookupFloorGenerator"/>
/// the same two ways: what finding the <c>[Cached]</c> methods costs before any generator work.
/// </summary>
/// <remarks>
/// The timed runs do not track steps, as the compiler does not. <see cref="Setup"/> checks, with step
/// tracking on, that the generator wrote every file without an error in the project, and records in
/// the "All steps cached" column whether every tracked step and output stayed Cached or Unchanged
/// after the unrelated edit.
/// </remarks>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.Generator)]
public class GeneratorBenchmarks
{
    private SyntheticCompilation _project = null!;
    private GeneratorDriver _ranOnce = null!;
    private GeneratorDriver _floorRanOnce = null!;

    [Params(100, 1000)]
    public int MethodCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _project = SyntheticCompilation.Create(MethodCount);
        _ranOnce = RunOnceAndCheck();
        _floorRanOnce = CreateDriver(new LookupFloorGenerator()).RunGenerators(_project.Compilation);
        RunMetrics.Write(
            RunMetrics.CaseId(nameof(GeneratorBenchmarks), nameof(UnrelatedEdit), (nameof(MethodCount), MethodCount)),
            new Dictionary<string, string> { ["AllStepsCached"] = StepsAfterUnrelatedEdit() });
    }

    [Benchmark(Baseline = true)]
    public GeneratorDriver Cold() =>
        CreateDriver(trackSteps: false).RunGenerators(_project.Compilation.Clone());

    [Benchmark]
    public GeneratorDriver UnrelatedEdit() =>
        _ranOnce.RunGenerators(_project.Compilation.ReplaceSyntaxTree(_project.Unrelated, _project.UnrelatedEdited));

    [Benchmark]
    public GeneratorDriver Floor_Cold() =>
        CreateDriver(new LookupFloorGenerator()).RunGenerators(_project.Compilation.Clone());

    [Benchmark]
    public GeneratorDriver Floor_UnrelatedEdit() =>
        _floorRanOnce.RunGenerators(_project.Compilation.ReplaceSyntaxTree(_project.Unrelated, _project.UnrelatedEdited));

    private GeneratorDriver CreateDriver(bool trackSteps) => CreateDriver(new CachedGenerator(), trackSteps);

    private GeneratorDriver CreateDriver(IIncrementalGenerator generator, bool trackSteps = false) => CSharpGeneratorDriver.Create(
        [generator.AsSourceGenerator()],
        parseOptions: _project.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>
    /// Runs a driver once over the project and returns it; fails the run if the generator threw, missed a
    /// file, or wrote code that does not compile.
    /// </summary>
    private GeneratorDriver RunOnceAndCheck()
    {
        var driver = CreateDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(_project.Compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is { } exception)
        {
            throw new InvalidOperationException("The generator threw over the synthetic project.", exception);
        }

        if (result.GeneratedSources.Length != _project.ExpectedGeneratedFiles)
        {
            throw new InvalidOperationException($"The generator wrote {result.GeneratedSources.Length} files; expected {_project.ExpectedGeneratedFiles}.");
        }

        var errors = output.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"The synthetic project does not compile with the generated code ({errors.Count} errors), first: " +
                string.Join(Environment.NewLine, errors.Take(5).Select(static e => e.ToString())));
        }

        return driver;
    }

    /// <summary>
    /// "yes (...)", or "no: " and the generator steps that ran again. Only the generator's own steps
    /// (those it names with WithTrackingName) and its outputs count: Roslyn's inputs and the internal steps
    /// of ForAttributeWithMetadataName are Modified by any edit, by design.
    /// </summary>
    private string StepsAfterUnrelatedEdit()
    {
        var driver = CreateDriver(trackSteps: true).RunGenerators(_project.Compilation);
        driver = driver.RunGenerators(_project.Compilation.ReplaceSyntaxTree(_project.Unrelated, _project.UnrelatedEdited));
        var result = driver.GetRunResult().Results.Single();
        var outputs = result.TrackedSteps.Where(static step => !IsRoslynStep(step.Key)).Concat(result.TrackedOutputSteps)
            .SelectMany(static step => step.Value.SelectMany(run => run.Outputs.Select(output => (Step: step.Key, output.Reason))))
            .ToList();
        var steps = string.Join(", ", outputs.Select(static o => o.Step).Distinct().Order(StringComparer.Ordinal));
        var rerun = outputs
            .Where(static o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .GroupBy(static o => $"{o.Step} {o.Reason}")
            .Select(static g => $"{g.Key} x{g.Count().ToString(CultureInfo.InvariantCulture)}")
            .ToList();
        if (rerun.Count > 0)
        {
            return "no: " + string.Join("; ", rerun);
        }

        var cached = outputs.Count(static o => o.Reason == IncrementalStepRunReason.Cached);
        return string.Create(CultureInfo.InvariantCulture, $"yes ({steps}: {cached} cached, {outputs.Count - cached} unchanged)");
    }

    private static bool IsRoslynStep(string name) =>
        name.Contains("_ForAttribute", StringComparison.Ordinal)
        || name is "Compilation" or "CompilationOptions" or "ParseOptions" or "AdditionalTexts" or "AnalyzerConfigOptions" or "MetadataReferences" or "SyntaxTrees";
}
