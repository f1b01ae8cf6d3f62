using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CachedMethods.Generators.Tests;

/// <summary>
/// The pipeline stays cached across unrelated edits, notices edits to [Cached], and holds nothing but
/// value-equatable models (no symbols, syntax, locations or compilations).
/// </summary>
public sealed class IncrementalTests
{
    private static readonly string[] TrackedSteps = ["Targets", "Files", "DependencyInjection", "Registration"];

    public static TheoryData<string> AllSources => new() { Sources.InterfaceService, Sources.CompositeKeys, Sources.PartialClass, Sources.ImplementationService, Sources.NameAndTiers, Sources.FleetOptions };

    [Theory]
    [MemberData(nameof(AllSources))]
    public void AnUnrelatedEditLeavesEveryStepCached(string source)
    {
        var compilation = GeneratorHarness.Compile(source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("internal static class Unrelated { public const int Answer = 42; }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (var run in result.TrackedSteps[step])
            {
                foreach (var (_, reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} was {reason} after an unrelated edit");
                }
            }
        }

        foreach (var (_, runs) in result.TrackedOutputSteps)
        {
            Assert.All(runs.SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
    }

    [Fact]
    public void EditingTheAttributeModifiesTheTarget()
    {
        var compilation = GeneratorHarness.Compile(Sources.InterfaceService);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("Ttl = 3600", StringComparison.Ordinal));
        var changed = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(tree.ToString().Replace("Ttl = 3600", "Ttl = 7200", StringComparison.Ordinal)));
        var result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, changed)).GetRunResult().Results.Single();

        var reasons = result.TrackedSteps["Targets"].SelectMany(r => r.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(result.TrackedSteps["Files"].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("FromSeconds(7200)", result.GeneratedSources.Single(s => s.HintName == "Ocr.CachedOcrService.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tags = [\"quotes\", \"market:\\\"eu\\\"\"]", "Tags = [\"quotes\"]", "Tags = new string[] { \"quotes\" }")]
    [InlineData("FailSafeSeconds = 600", "FailSafeSeconds = 900", "FailSafeMaxStaleness = global::System.TimeSpan.FromSeconds(900)")]
    [InlineData("RefreshAhead = 0.8", "RefreshAhead = 0.5", "RefreshAheadFraction = 0.5")]
    public void EditingAnEntryOptionModifiesTheTarget(string before, string after, string expected)
    {
        var compilation = GeneratorHarness.Compile(Sources.FleetOptions);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains(before, StringComparison.Ordinal));
        var changed = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(tree.ToString().Replace(before, after, StringComparison.Ordinal)));
        var result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, changed)).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps["Targets"].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(expected, result.GeneratedSources.Single(s => s.HintName == "Fleet.CachedQuotes.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllSources))]
    public void TheModelHoldsNoSymbolsSyntaxOrCompilations(string source)
    {
        var result = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(source)).GetRunResult().Results.Single();

        var values = TrackedSteps.SelectMany(name => result.TrackedSteps[name]).SelectMany(r => r.Outputs).Select(o => o.Value).ToList();
        Assert.NotEmpty(values);
        foreach (var value in values)
        {
            Walk(value, "model", new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        switch (value)
        {
            case null or string or bool or int or long or double or Enum:
                return;
            case ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel:
                Assert.Fail($"{path} holds a {value.GetType().Name}: the pipeline must carry only equatable values.");
                return;
        }

        var type = value.GetType();
        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence)
            {
                Walk(item, $"{path}[{i++}]", visited);
            }

            if (type.IsArray || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
            {
                return;
            }
        }

        if (type.Namespace?.StartsWith("CachedMethods", StringComparison.Ordinal) != true && !type.IsGenericType)
        {
            Assert.Fail($"{path} holds a {type.FullName}, which is not a model type.");
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(value), $"{path}.{field.Name}", visited);
        }
    }
}
