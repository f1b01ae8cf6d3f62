namespace CachedMethods.Generators.Tests;

/// <summary>Shapes that are easy to get wrong in generated code: each must compile with no warning.</summary>
public sealed class CompileTests
{
    [Fact]
    public void ParameterNamesThatClashWithGeneratedLocalsCompile() => AssertCompiles("""
        public interface ITricky
        {
            [Cached]
            Task<string> GetAsync(string key, int hit, int state, int ct, string? cache, int Inner, int Item1, string @event, CancellationToken cancellationToken);

            [Cached]
            string Sync(string value, int[] sequence, IEnumerable<int> items, CancellationToken cancellationToken);
        }

        public sealed partial class Tricky(CacheManager cache)
        {
            [Cached]
            public partial string Get(string key, int Self, int cache0);

            private string GetCore(string key, int Self, int cache0) => key;
        }
        """);

    [Fact]
    public void InheritedCollidingAndGenericMembersAreForwarded() => AssertCompiles("""
        public interface IBase
        {
            string Name { get; }
            string Describe(int id);
        }

        public interface IOther
        {
            string Describe(int id);
        }

        public interface IService : IBase, IOther
        {
            [Cached]
            string Load(int id, params string[] tags);

            T Convert<T>(string value) where T : class, IComparable<T>, new();
            ref readonly int Peek(in int index);
            void Out(out int value, ref string text);
            int this[int index] { get; set; }
            Task<string?> MaybeAsync(string? value = null);
        }
        """);

    [Fact]
    public void AMethodWithAnErrorStillForwardsSoOnlyTheDiagnosticFails() => AssertCompiles("""
        public interface IService
        {
            [Cached]
            string Load(object value);

            [Cached]
            void Nothing(int id);
        }
        """);

    [Fact]
    public void GlobalNamespaceAndNestedPartialTypesCompile() => AssertCompiles("""
        public partial record Outer
        {
            public partial struct Middle
            {
                public static CacheManager Cache { get; set; } = null!;

                public partial class Inner
                {
                    private readonly CacheManager _cache = Cache;

                    [Cached]
                    internal partial int Twice(int value);

                    private int TwiceCore(int value) => value * 2;
                }
            }
        }
        """);

    [Fact]
    public void InvalidationCallsThatMatchTheKeyCompile() => AssertCompiles("""
        public interface IOcr
        {
            [Cached]
            ValueTask<string> RecognizeAsync(string documentHash, int dpi, [NotCacheKey] string? requestId, CancellationToken cancellationToken);

            [Cached]
            int Count(int value);

            [Cached]
            int Count(long value);

            [Cached]
            string Load(int id, params string[] tags);
        }

        public static class Caller
        {
            public static async Task<bool> Run(CachedOcr ocr, CancellationToken cancellationToken)
            {
                var removed = await ocr.InvalidateRecognizeAsync("doc", 300, cancellationToken);
                removed |= await ocr.InvalidateRecognizeAsync("doc", 300);
                removed |= ocr.InvalidateCount(1) | ocr.InvalidateCount(1L);
                return removed | ocr.InvalidateLoad(1, ["a", "b"]);
            }
        }
        """);

    [Theory]
    [InlineData("ocr.InvalidateRecognizeAsync(\"doc\", \"300\")", "CS1503")]
    [InlineData("ocr.InvalidateRecognizeAsync(\"doc\", 300, null, default)", "CS1501")]
    [InlineData("ocr.InvalidateRecognizeAsync(300, \"doc\")", "CS1503")]
    [InlineData("ocr.InvalidateRecognizeAsync(\"doc\")", "CS7036")]
    [InlineData("ocr.InvalidateRecognize(\"doc\", 300)", "CS1061")]
    public void InvalidationCallsThatDoNotMatchTheKeyDoNotCompile(string call, string error)
    {
        var source = $$"""
            public interface IOcr
            {
                [Cached]
                ValueTask<string> RecognizeAsync(string documentHash, int dpi, [NotCacheKey] string? requestId, CancellationToken cancellationToken);
            }

            public static class Caller
            {
                public static object Run(CachedOcr ocr) => {{call}};
            }
            """;
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        Assert.Equal([error], GeneratorHarness.Problems(output).Select(d => d.Id).Distinct());
    }

    [Fact]
    public void TakenAndCollidingInvalidatorsAreLeftOutAndTheRestCompiles()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile("""
            public interface IRates
            {
                [Cached]
                decimal Current(string currency);

                [Cached]
                Task<decimal> CurrentAsync(string currency, CancellationToken cancellationToken);

                [Cached]
                decimal Historical(string currency, DateOnly day);

                bool InvalidateHistorical(string currency, DateOnly day);

                [Cached]
                decimal Spot(string currency);

                [Cached]
                decimal Spot(string currency, [NotCacheKey] string? note);
            }
            """));

        Assert.Empty(GeneratorHarness.Problems(output));
        var generated = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("CachedRates.g.cs", StringComparison.Ordinal)).ToString();
        var invalidators = System.Text.RegularExpressions.Regex
            .Matches(generated, @"GeneratedCode\(.*\)\]\n\s*public \S+ (Invalidate\w+)\(")
            .Select(m => m.Groups[1].Value);
        Assert.Equal(["InvalidateCurrent", "InvalidateCurrentAsync"], invalidators);
    }

    [Theory]
    [MemberData(nameof(IncrementalTests.AllSources), MemberType = typeof(IncrementalTests))]
    public async Task TheAnalyzerCountsNoGeneratedMemberAsATakenName(string source)
    {
        // The analyzer sees the generated invalidation methods, the generator does not: both must agree.
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var analyzer = new Diagnostics.CachedMethodsAnalyzer();

        var diagnostics = await Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerExtensions.WithAnalyzers(output, [analyzer]).GetAnalyzerDiagnosticsAsync();

        Assert.Empty(diagnostics);
    }

    private static void AssertCompiles(string source)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        Assert.Empty(result.Diagnostics);
        Assert.NotEmpty(result.GeneratedTrees);
        var problems = GeneratorHarness.Problems(output);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + string.Join("\n\n", result.GeneratedTrees.Select(t => t.ToString())));
    }
}
