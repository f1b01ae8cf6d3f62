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

    private static void AssertCompiles(string source)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        Assert.Empty(result.Diagnostics);
        Assert.NotEmpty(result.GeneratedTrees);
        var problems = GeneratorHarness.Problems(output);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + string.Join("\n\n", result.GeneratedTrees.Select(t => t.ToString())));
    }
}
