using static CachedMethods.Generators.Tests.AnalyzerVerifier;

namespace CachedMethods.Generators.Tests;

/// <summary>
/// Every wrong key is a compile-time diagnostic at its exact span: incomplete key types (CM0004 naming the
/// member), shared Names (CM0021), [Cached] where it does nothing (CM0022), Core reading unkeyed state
/// (CM0023), [CacheKey] members that cannot be keyed (CM0024) and mutable results (CM0025).
/// </summary>
public sealed class KeyDiagnosticTests
{
    [Theory]
    [InlineData("public sealed class Numbers : List<int>;", "it derives from 'System.Collections.Generic.List<int>', whose state the generator cannot see; hold the values in fields or properties instead of deriving, or implement ICacheKeyEncodable")]
    [InlineData("public sealed class Numbers { private readonly int _value; public Numbers(int value) => _value = value; public int Shown => 1; }", "its field '_value' is private, so generated code cannot read it; make it public or internal, or mark it [NotCacheKey] if it never changes a result")]
    [InlineData("public struct Numbers { private int x; public int X => x; }", "its field 'x' is private, so generated code cannot read it; make it public or internal, or mark it [NotCacheKey] if it never changes a result")]
    [InlineData("public sealed class Numbers { public int Id { get; init; } private string Name { get; } = \"\"; }", "its property 'Name' holds state that generated code cannot read; make it public or internal, or mark it [NotCacheKey] if it never changes a result")]
    [InlineData("public record Numbers(int Id);", "it is not sealed, so the extra state of a derived class would not be keyed; seal it, or implement ICacheKeyEncodable")]
    [InlineData("public class Numbers { public int Id { get; init; } }", "it is not sealed, so the extra state of a derived class would not be keyed; seal it, or implement ICacheKeyEncodable")]
    [InlineData("public sealed class Numbers(int secret) { public int Id { get; init; } public int Twice() => secret * 2; }", "its primary-constructor parameter 'secret' is captured as hidden state; expose it as a public property, or mark the parameter [NotCacheKey] if it never changes a result")]
    [InlineData("public sealed class Numbers { public int Id { get; init; } public event Action? Changed; }", "its event 'Changed' holds delegates, which have no value to key by; mark it [NotCacheKey] if it never changes a result")]
    [InlineData("public class NumbersBase { private int _hidden; public int Hidden => _hidden; } public sealed class Numbers : NumbersBase { public int Id { get; init; } }", "its field '_hidden' is private, so generated code cannot read it; make it public or internal, or mark it [NotCacheKey] if it never changes a result")]
    public Task CM0004_KeyTypeWhoseStateIsNotCompletelyKeyed(string declaration, string reason) => VerifyAsync(
        $$"""
        {{declaration}}

        public interface IService
        {
            [Cached]
            string Get(Numbers {|#0:value|});
        }
        """,
        Diagnostic("CM0004").WithLocation(0).WithArguments("value", "Numbers", reason));

    [Fact]
    public Task CM0004_AKeyTypeFromAnotherAssemblyNeedsICacheKeyEncodable() => VerifyAsync(
        """
        public interface IService
        {
            [Cached]
            string Get(CacheEntryOptions {|#0:options|});
        }
        """,
        Diagnostic("CM0004").WithLocation(0).WithArguments(
            "options",
            "CachedMethods.CacheEntryOptions",
            "it is declared in assembly 'CachedMethods', whose private state the generator cannot see; implement ICacheKeyEncodable on it, or pass the values it holds"));

    [Fact]
    public Task CM0004_ANestedMemberIsNamed() => VerifyAsync(
        """
        public sealed class Inner { private int _value; public int Value => _value; }
        public sealed record Outer(int Id, Inner Detail);

        public interface IService
        {
            [Cached]
            string Get(Outer {|#0:value|});
        }
        """,
        Diagnostic("CM0004").WithLocation(0).WithArguments(
            "value",
            "Outer",
            "its member 'Detail' of type 'Inner' is not keyable (its field '_value' is private, so generated code cannot read it; make it public or internal, or mark it [NotCacheKey] if it never changes a result)"));

    [Fact]
    public Task CompleteKeyTypesAndTheCommonShapesReportNothing() => VerifyAsync(
        """
        using System.Collections.Immutable;

        public sealed class Query
        {
            [NotCacheKey] private int _hash;
            public int Page { get; init; }
            internal string Language = "en";
            public int Hash => _hash == 0 ? _hash = Page.GetHashCode() : _hash;
        }

        public readonly record struct Range(int First, int Last);
        public sealed record Filter(string Name, [property: NotCacheKey] string? Note);
        public sealed class Labels([NotCacheKey] int capacity) { public List<string> Items { get; } = new(capacity); public int Count() => Items.Count + capacity - capacity; }

        public interface IService
        {
            [Cached] string A(Query query, Range range, Filter filter, Labels labels);
            [Cached] string B(Dictionary<string, int> counts, HashSet<Guid> ids, IReadOnlyDictionary<int, List<string>> nested);
            [Cached] string C(List<KeyValuePair<string, int>> pairs, (int Id, string Name) tuple, (int, string)? maybe, Tuple<int, string> old);
            [Cached] string D(ImmutableArray<int> numbers, ImmutableList<string> names, ISet<int> set, ImmutableDictionary<string, long> map);
            [Cached] Task<T> E<T>(string id, CancellationToken cancellationToken);
            [Cached] int F(int count);
            [Cached] int F(int? count);
        }
        """);

    [Fact]
    public Task CM0021_TwoMethodsWithOneName() => VerifyAsync(
        """
        public interface IPrices
        {
            [Cached(Name = {|#0:"prices.current"|})]
            decimal Current(string symbol);
        }

        public interface IQuotes
        {
            [Cached(Name = {|#1:"prices.current"|})]
            decimal Quote(string symbol);

            [Cached(Name = "quotes.other")]
            decimal Other(string symbol);
        }
        """,
        Diagnostic("CM0021").WithLocation(0).WithArguments("prices.current", "IPrices.Current(string)", "IQuotes.Quote(string)"),
        Diagnostic("CM0021").WithLocation(1).WithArguments("prices.current", "IQuotes.Quote(string)", "IPrices.Current(string)"));

    [Fact]
    public Task CM0022_CachedWhereItDoesNothing() => VerifyAsync(
        """
        public interface IService
        {
            [{|#0:Cached|}]
            static int Create(int id) => id;
        }

        public sealed partial class Service
        {
            {|#1:Cached|}
            public Service() { }

            public int Value
            {
                [{|#2:Cached|}]
                get => 1;
            }

            public int Run()
            {
                [{|#3:Cached|}]
                int Local(int x) => x * 2;

                var lambda = [{|#4:Cached|}] (int x) => x;
                return Local(1) + lambda(2);
            }
        }
        """.Replace("{|#1:Cached|}", "[{|#1:Cached|}]", StringComparison.Ordinal),
        Diagnostic("CM0022").WithLocation(0).WithArguments("IService.Create(int)", "a static interface member belongs to the type, not to the instance a decorator wraps"),
        Diagnostic("CM0022").WithLocation(1).WithArguments("Service.Service()", "a constructor always makes a new instance, so there is nothing to cache"),
        Diagnostic("CM0022").WithLocation(2).WithArguments("Service.Value.get", "an accessor is not a method the generator can wrap"),
        Diagnostic("CM0022").WithLocation(3).WithArguments("Local", "a local function is called directly, never through a decorator or a generated body"),
        Diagnostic("CM0022").WithLocation(4).WithArguments("lambda", "a lambda is called directly, never through a decorator or a generated body"));

    [Fact]
    public Task CM0023_CoreReadsInstanceAndStaticStateThatIsNotInTheKey() => VerifyAsync(
        """
        public static class Settings
        {
            public static string Region { get; set; } = "eu";
            public static readonly string Fixed = "x";
            public const string Constant = "c";
        }

        public sealed partial class Translator(string language, CacheManager cache)
        {
            private readonly Dictionary<string, string> _glossary = new();
            private int _misses;
            public string Suffix { get; set; } = "";

            [Cached]
            public partial string Translate(string text);

            private string TranslateCore(string text)
            {
                _misses++;
                return {|#0:language|} + {|#1:_glossary|}.Count + Format(text) + Settings.{|#2:Region|} + Settings.Fixed + Settings.Constant;
            }

            private string Format(string text) => text + this.{|#3:Suffix|};
        }
        """.Replace("_misses++;", "{|#4:_misses|}++;", StringComparison.Ordinal),
        Diagnostic("CM0023").WithLocation(4).WithArguments("TranslateCore", "the field", "_misses", "Translator.Translate(string)"),
        Diagnostic("CM0023").WithLocation(0).WithArguments("TranslateCore", "the primary-constructor parameter", "language", "Translator.Translate(string)"),
        Diagnostic("CM0023").WithLocation(1).WithArguments("TranslateCore", "the field", "_glossary", "Translator.Translate(string)"),
        Diagnostic("CM0023").WithLocation(2).WithArguments("TranslateCore", "the static property", "Region", "Translator.Translate(string)"),
        Diagnostic("CM0023").WithLocation(3).WithArguments("Format", "the property", "Suffix", "Translator.Translate(string)"));

    [Fact]
    public Task CM0023_KeyedIgnoredAndAllowedStateReportsNothing() => VerifyAsync(
        """
        public sealed partial class Translator([CacheKey] string language, [NotCacheKey] IFormatProvider format, CacheManager cache)
        {
            [CacheKey] public string Region { get; init; } = "eu";
            [NotCacheKey] private int _misses;

            [Cached]
            public partial string Translate(string text);

            private string TranslateCore(string text)
            {
                _misses++;
                return language + Region + text.ToString(format);
            }
        }

        public sealed partial class Loose(string language, CacheManager cache)
        {
            [Cached(AllowUnkeyedState = true)]
            public partial string Translate(string text);

            private string TranslateCore(string text) => language + text;
        }

        public sealed partial class Encoded(string language, CacheManager cache) : ICacheKeyEncodable
        {
            [Cached]
            public partial string Translate(string text);

            private string TranslateCore(string text) => language + text;

            public void WriteCacheKey(ref CacheKeyBuilder key) => key.Append(language);
        }
        """);

    [Fact]
    public Task CM0023_LoggersAreNotStateButOtherInjectedServicesAre() => VerifyAsync(
        """
        public interface IGlossary { string Lookup(string text); }

        public sealed partial class Translator(
            Microsoft.Extensions.Logging.ILogger<Translator> logger,
            Microsoft.Extensions.Logging.ILoggerFactory loggers,
            IGlossary glossary,
            CacheManager cache)
        {
            private readonly Microsoft.Extensions.Logging.ILogger _log = loggers.CreateLogger("translator");

            [Cached]
            public partial string Translate(string text);

            private string TranslateCore(string text)
            {
                logger.Log(Microsoft.Extensions.Logging.LogLevel.Debug, "miss");
                _log.Log(Microsoft.Extensions.Logging.LogLevel.Debug, "miss");
                return {|#0:glossary|}.Lookup(text);
            }
        }
        """,
        Diagnostic("CM0023").WithLocation(0).WithArguments("TranslateCore", "the primary-constructor parameter", "glossary", "Translator.Translate(string)"));

    [Fact]
    public Task CM0024_CacheKeyMemberThatCannotBeKeyed() => VerifyAsync(
        """
        public sealed partial class Service(CacheManager cache)
        {
            [CacheKey] public object {|#0:Context|} { get; init; } = new();

            [Cached]
            public partial string Get(int id);

            private string GetCore(int id) => Context.ToString() + id;
        }
        """,
        Diagnostic("CM0024").WithLocation(0).WithArguments("Context", "Service", "its type 'object' cannot be keyed: 'object' has no fixed type, so its encoding cannot be chosen at compile time"));

    [Theory]
    [InlineData("List<string>", "List<string>", "'List<string>' is a List<string>, which a caller can change")]
    [InlineData("Task<string[]>", "string[]", "'string[]' is an array, whose elements a caller can replace")]
    [InlineData("Report", "Report", "'Report.Title' has a public setter")]
    [InlineData("ValueTask<Page>", "Page", "'Page.Lines' is a Dictionary<int, string>, which a caller can change")]
    public Task CM0025_MutableResult(string returnType, string resultType, string reason) => VerifyAsync(
        $$"""
        public sealed class Report { public string Title { get; set; } = ""; }
        public sealed record Page(int Number, Dictionary<int, string> Lines);

        public interface IService
        {
            [Cached]
            {|#0:{{returnType}}|} Get(int id);
        }
        """,
        Diagnostic("CM0025").WithLocation(0).WithArguments(resultType, "IService.Get(int)", reason));

    [Fact]
    public Task CM0025_ImmutableOrAllowedResultsReportNothing() => VerifyAsync(
        """
        using System.Collections.Immutable;

        public sealed record Page(int Number, IReadOnlyList<string> Lines, ImmutableArray<int> Widths);
        public readonly record struct Point(int X, int Y);
        public struct Mutable { public int X { get; set; } }

        public interface IService
        {
            [Cached] Page A(int id);
            [Cached] Point B(int id);
            [Cached] Mutable C(int id);
            [Cached(AllowMutableResult = true)] List<string> D(int id);
            [Cached] IReadOnlyDictionary<string, int> E(int id);
        }
        """);
}

/// <summary>Diagnostics of a partial method still reach the build once the generator has written its part.</summary>
public sealed class GeneratedPartTests
{
    [Fact]
    public async Task APartialMethodsDiagnosticsSurviveItsGeneratedPart()
    {
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compile("""
        public sealed partial class ReportRenderer(CacheManager cache)
        {
            public int Calls { get; private set; }

            [Cached(Ttl = 60)]
            public partial string Render(string template, int copies);

            private string RenderCore(string template, int copies)
            {
                Calls++;
                return string.Concat(Enumerable.Repeat(template, copies));
            }
        }
        """));

        var diagnostics = await Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerExtensions
            .WithAnalyzers(output, [new Diagnostics.CachedMethodsAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("CM0023", diagnostic.Id);
        Assert.Equal("Calls", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }
}
