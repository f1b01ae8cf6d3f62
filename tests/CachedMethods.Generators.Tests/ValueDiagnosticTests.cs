using System.Collections.Immutable;
using CachedMethods.Generators.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics;
using static CachedMethods.Generators.Tests.AnalyzerVerifier;

namespace CachedMethods.Generators.Tests;

/// <summary>
/// The stored-value diagnostics at their exact spans: CM0040 on a [CacheSerializable] type that would not come back
/// exactly, CM0041 on a direct engine call whose value type has no formatter.
/// </summary>
public sealed class ValueDiagnosticTests
{
    private const string PrivateSetterReason = "'PrivateSetter.Name' has a non-public setter and no constructor parameter sets it, so it would come back empty; add a constructor parameter named 'name', or make it settable with init or set";

    [Fact]
    public Task CM0040_OnTheAssembly_NamesTheMemberAndWhy() => VerifyAsync(
        """
        [assembly: {|#0:CacheSerializable(typeof(PrivateSetter))|}]

        public sealed class PrivateSetter { public string Name { get; private set; } = ""; }
        """,
        Diagnostic("CM0040").WithLocation(0).WithArguments("PrivateSetter", PrivateSetterReason));

    [Fact]
    public Task CM0040_OnAClass_OnceForEveryReason() => VerifyAsync(
        """
        [{|#0:CacheSerializable(typeof(Endpoint))|}]
        [CacheSerializable(typeof(Fine))]
        public static class StoredValues { }

        public sealed class Endpoint
        {
            public readonly int Port;
            public System.Net.IPAddress? Address { get; init; }
        }

        public sealed record Fine(string Name, int Count);
        """,
        Diagnostic("CM0040").WithLocation(0).WithArguments(
            "Endpoint",
            "'System.Net.IPAddress' has no formatter known to read it back exactly; store the data it holds (a string, bytes or a record of its parts) instead (the type of 'Endpoint.Address')"),
        Diagnostic("CM0040").WithLocation(0).WithArguments(
            "Endpoint",
            "'Endpoint.Port' is a readonly field and no constructor parameter sets it, so it would come back empty; add a constructor parameter named 'port', or make it settable with init or set"));

    [Fact]
    public Task CM0040_NotReportedForTypesThatRoundTrip() => VerifyAsync(
        """
        [assembly: CacheSerializable(typeof(Quote))]
        [assembly: CacheSerializable(typeof(List<Quote>))]
        [assembly: CacheSerializable(typeof(Dictionary<string, Quote[]>))]

        public enum Venue { Lse = 1, Nyse = 2 }

        public sealed record Quote(string Symbol, decimal Price, DateTimeOffset At, Venue Venue)
        {
            public string? Note { get; init; }
        }
        """);

    [Fact]
    public Task CM0041_AtTheMethodNameOfEveryEngineCall() => VerifyAsync<EngineCallAnalyzer>(
        """
        public sealed class Quote { public string Symbol { get; init; } = ""; }

        public static class Uses
        {
            public static async Task Run(CacheManager cache)
            {
                await cache.{|#0:GetOrCreateAsync|}("a", _ => new ValueTask<Quote>(new Quote()));
                cache.{|#1:GetOrCreate<Quote>|}("b", () => new Quote());
                await cache.{|#2:SetAsync|}("c", new Quote());
                cache.{|#3:Set|}("d", new Quote());
                _ = await cache.{|#4:GetAsync<Quote>|}("e");
                _ = cache.{|#5:TryGet<Quote?>|}("f", out _);
            }
        }
        """,
        Diagnostic("CM0041").WithLocation(0).WithArguments("Quote", "GetOrCreateAsync"),
        Diagnostic("CM0041").WithLocation(1).WithArguments("Quote", "GetOrCreate"),
        Diagnostic("CM0041").WithLocation(2).WithArguments("Quote", "SetAsync"),
        Diagnostic("CM0041").WithLocation(3).WithArguments("Quote", "Set"),
        Diagnostic("CM0041").WithLocation(4).WithArguments("Quote", "GetAsync"),
        Diagnostic("CM0041").WithLocation(5).WithArguments("Quote", "TryGet"));

    [Fact]
    public Task CM0041_NotReportedForBuiltInTypesListedTypesGenericCallersOrTheMemoryProbe() => VerifyAsync<EngineCallAnalyzer>(
        """
        public sealed class Quote { public string Symbol { get; init; } = ""; }
        public sealed class Unlisted { public int Id { get; init; } }

        namespace CachedMethods.Generated
        {
            // What the generator writes for [assembly: CacheSerializable(typeof(Quote))].
            [CachedMethods.Serialization.GeneratedFormatters(typeof(global::Quote))]
            internal sealed class CacheFormatterResolver { }
        }

        public static class Uses
        {
            public static async Task Run(CacheManager cache)
            {
                cache.Set("a", "text");
                cache.Set("b", 42);
                cache.Set<int?>("c", null);
                cache.Set("d", new byte[] { 1 });
                cache.Set("e", DateTimeOffset.UnixEpoch);
                cache.Set("f", Int128.MaxValue);
                await cache.SetAsync("g", new Quote());
                _ = cache.Get<Quote?>("h");
                _ = cache.TryGetMemory<Unlisted>("i"u8, out _);
            }

            public static void Generic<T>(CacheManager cache, T value) => cache.Set("j", value);
        }
        """);

    [Fact]
    public async Task CM0041_NotReportedForATypeTheGeneratorWroteAFormatterFor()
    {
        // The real generator's output, not a hand-written stand-in: the analyzer must read the resolver it emits.
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compile(
            """
            [assembly: CacheSerializable(typeof(Listed))]

            public sealed record Listed(string Name);
            public sealed record Unlisted(string Name);

            public static class Uses
            {
                public static void Run(CacheManager cache)
                {
                    cache.Set("a", new Listed("x"));
                    cache.Set("b", new Unlisted("y"));
                }
            }
            """));

        var diagnostics = await output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new EngineCallAnalyzer())).GetAnalyzerDiagnosticsAsync();

        var reported = Assert.Single(diagnostics);
        Assert.Equal("CM0041", reported.Id);
        Assert.Contains("'Unlisted'", reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
