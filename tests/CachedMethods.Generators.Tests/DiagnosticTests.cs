using static CachedMethods.Generators.Tests.AnalyzerVerifier;

namespace CachedMethods.Generators.Tests;

/// <summary>Every diagnostic at its exact span, with the arguments of its message.</summary>
public sealed class DiagnosticTests
{
    [Fact]
    public Task CM0001_KeyParamsNameIsNotAParameter() => VerifyAsync(
        """
        public interface IService
        {
            [Cached(KeyParams = ["id", {|#0:"identifier"|}])]
            string Get(int id);
        }
        """,
        Diagnostic("CM0001").WithLocation(0).WithArguments("identifier", "IService.Get(int)"));

    [Fact]
    public Task CM0002_KeyParamsNameListedTwice() => VerifyAsync(
        """
        public interface IService
        {
            [Cached(KeyParams = [nameof(id), {|#0:nameof(id)|}])]
            string Get(int id);
        }
        """,
        Diagnostic("CM0002").WithLocation(0).WithArguments("id", "IService.Get(int)"));

    [Fact]
    public Task CM0003_ParameterNeitherInKeyParamsNorNotCacheKey() => VerifyAsync(
        """
        public interface IOcr
        {
            [Cached(KeyParams = [nameof(documentHash)])]
            string Recognize(string documentHash, int {|#0:dpi|}, [NotCacheKey] string? requestId, CancellationToken cancellationToken);
        }
        """,
        Diagnostic("CM0003").WithLocation(0).WithArguments("dpi"));

    [Theory]
    [InlineData("object", "'object' has no fixed type, so its encoding cannot be chosen at compile time")]
    [InlineData("System.IO.Stream", "a stream's content is read, not compared; key by a hash of the content instead")]
    [InlineData("Func<int>", "a delegate is code, which has no value to key by")]
    [InlineData("IDisposable", "an interface can hide any runtime type, so its state is unknown at compile time")]
    [InlineData("Dictionary<string, object>", "its values cannot be keyed: 'object' has no fixed type, so its encoding cannot be chosen at compile time")]
    [InlineData("Uri", "it is a framework type with no deterministic key encoding, and its ToString() may not tell values apart; pass a keyable value such as its string form")]
    [InlineData("Opaque", "it holds no state, so every value would get the same key; pass a value that tells the arguments apart, or mark the parameter [NotCacheKey]")]
    [InlineData("Holder", "its member 'Payload' of type 'object' is not keyable ('object' has no fixed type, so its encoding cannot be chosen at compile time)")]
    public Task CM0004_KeyParameterHasNoDeterministicEncoding(string type, string reason) => VerifyAsync(
        $$"""
        public sealed class Opaque { public override string ToString() => "opaque"; }
        public sealed record Holder(int Id, object Payload);

        public interface IService
        {
            [Cached]
            string Get({{type}} {|#0:value|});
        }
        """,
        Diagnostic("CM0004").WithLocation(0).WithArguments("value", TypeDisplay(type), reason));

    [Theory]
    [InlineData("void", "it returns nothing to cache")]
    [InlineData("Task", "it completes without a value to cache")]
    [InlineData("ValueTask", "it completes without a value to cache")]
    [InlineData("IAsyncEnumerable<int>", "a stream of values is not cached as one value; return Task<List<T>> instead")]
    [InlineData("Span<byte>", "a ref struct or pointer cannot be stored")]
    public Task CM0005_UnsupportedReturnType(string type, string reason) => VerifyAsync(
        $$"""
        public interface IService
        {
            [Cached]
            {|#0:{{type}}|} Get(int id);
        }
        """,
        Diagnostic("CM0005").WithLocation(0).WithArguments("IService.Get(int)", TypeDisplay(type), reason));

    [Theory]
    [InlineData("ref int", "passed by 'ref'")]
    [InlineData("out int", "passed by 'out'")]
    [InlineData("in int", "passed by 'in'")]
    [InlineData("ReadOnlySpan<char>", "a ref struct ('System.ReadOnlySpan<char>')")]
    public Task CM0006_UnsupportedParameter(string declaration, string reason) => VerifyAsync(
        $$"""
        public interface IService
        {
            [Cached]
            string Get({{declaration}} {|#0:value|});
        }
        """,
        Diagnostic("CM0006").WithLocation(0).WithArguments("value", $"IService.Get({declaration})", reason));

    [Fact]
    public Task CM0006_PointerParameter() => VerifyAsync(
        """
        public unsafe interface IService
        {
            [Cached]
            string Get(int* {|#0:value|});
        }
        """,
        Diagnostic("CM0006").WithLocation(0).WithArguments("value", "IService.Get(int*)", "a pointer"));

    [Theory]
    [InlineData("object", "object", "'object' is read back as dictionaries and primitives, never as the type that was stored; use a concrete type")]
    [InlineData("IShape", "IShape", "'IShape' is an interface, so the type to create when reading it back is unknown; use a sealed concrete type")]
    [InlineData("Task<Shape>", "Shape", "'Shape' is abstract, so the type to create when reading it back is unknown; use a sealed concrete type")]
    [InlineData("Holder", "Holder", "'System.Action' is a delegate, which cannot be stored (the type of 'Holder.Callback')")]
    [InlineData("PrivateSetter", "PrivateSetter", "'PrivateSetter.Name' has a non-public setter and no constructor parameter sets it, so it would come back empty; add a constructor parameter named 'name', or make it settable with init or set")]
    [InlineData("GetOnly", "GetOnly", "'GetOnly.Count' is get-only and no constructor parameter sets it, so it would come back empty; add a constructor parameter named 'count', or make it settable with init or set")]
    [InlineData("ReadonlyField", "ReadonlyField", "'ReadonlyField.Total' is a readonly field and no constructor parameter sets it, so it would come back empty; add a constructor parameter named 'total', or make it settable with init or set")]
    [InlineData("HiddenField", "HiddenField", "'HiddenField._secret' is a non-public field, so it would not be stored; make it a public property, or mark it [IgnoreMember] if it can be lost")]
    [InlineData("NoMatchingConstructor", "NoMatchingConstructor", "'NoMatchingConstructor' has no accessible constructor whose parameters all match its stored members by name and type; add one, or make the members settable")]
    [InlineData("WithAddress", "WithAddress", "'System.Net.IPAddress' has no formatter known to read it back exactly; store the data it holds (a string, bytes or a record of its parts) instead (the type of 'WithAddress.Address')")]
    [InlineData("System.Text.Json.JsonElement", "System.Text.Json.JsonElement", "'System.Text.Json.JsonElement' has no formatter known to read it back exactly; store the data it holds (a string, bytes or a record of its parts) instead")]
    [InlineData("NoPublicMembers", "NoPublicMembers", "'NoPublicMembers._text' is a non-public field, so it would not be stored; make it a public property, or mark it [IgnoreMember] if it can be lost")]
    [InlineData("System.Text.Json.Nodes.JsonNode", "System.Text.Json.Nodes.JsonNode", "'System.Text.Json.Nodes.JsonNode' has no formatter known to read it back exactly; store the data it holds (a string, bytes or a record of its parts) instead")]
    [InlineData("System.Globalization.CultureInfo", "System.Globalization.CultureInfo", "'System.Globalization.CultureInfo' has no formatter known to read it back exactly; store the data it holds (a string, bytes or a record of its parts) instead")]
    [InlineData("WithRange", "WithRange", "'System.Range' has no formatter known to read it back exactly; store the data it holds (a string, bytes or a record of its parts) instead (the type of 'WithRange.Pages')")]
    [InlineData("IReadOnlyDictionary<Point, int>", "System.Collections.Generic.IReadOnlyDictionary<Point, int>", "the key type 'Point' of 'System.Collections.Generic.IReadOnlyDictionary<Point, int>' cannot be hashed by MessagePack's untrusted-data reader; use a string, an integer, a Guid, a DateTime or an enum of 32 bits or less as the key, or a SortedDictionary")]
    public Task CM0007_ResultTypeCannotBeStored(string returnType, string resultType, string reason) => VerifyAsync(
        $$"""
        public interface IShape { }
        public abstract class Shape { }
        public sealed class Holder { public Action? Callback { get; init; } }
        public sealed class PrivateSetter { public string Name { get; private set; } = ""; }
        public sealed class GetOnly { public int Count { get; } }
        public sealed class ReadonlyField { public readonly int Total; }
        public sealed class HiddenField { private int _secret; public int Visible { get; init; } public int Peek() => _secret; }
        public sealed class NoMatchingConstructor { public NoMatchingConstructor(string other) { } public int Id { get; init; } }
        public sealed class WithAddress { public System.Net.IPAddress? Address { get; init; } }
        public sealed class NoPublicMembers { private readonly string _text = "kept"; public override string ToString() => _text; }
        public sealed class WithRange { public Range Pages { get; init; } }
        public sealed record Point(int X, int Y);

        public interface IService
        {
            [Cached]
            {|#0:{{returnType}}|} Get(int id);
        }
        """,
        Diagnostic("CM0007").WithLocation(0).WithArguments(resultType, "IService.Get(int)", reason));

    [Fact]
    public Task CM0008_NegativeTtl() => VerifyAsync(
        """
        public interface IService
        {
            [Cached(Ttl = {|#0:-5|})]
            string Get(int id);
        }
        """,
        Diagnostic("CM0008").WithLocation(0).WithArguments("IService.Get(int)", -5));

    [Fact]
    public Task CM0009_PartialMethodInATypeThatIsNotPartial() => VerifyAsync(
        """
        public sealed class Service(CacheManager cache)
        {
            [Cached]
            public partial string {|#0:Get|}(int id);

            private string GetCore(int id) => id.ToString();
        }
        """,
        Diagnostic("CM0009").WithLocation(0).WithArguments("Service", "Get"));

    [Fact]
    public Task CM0010_MethodThatIsNeitherOnAnInterfaceNorPartial() => VerifyAsync(
        """
        public sealed class Service
        {
            [Cached]
            public string {|#0:Get|}(int id) => id.ToString();
        }
        """,
        Diagnostic("CM0010").WithLocation(0).WithArguments("Service.Get(int)", "GetCore"));

    [Fact]
    public Task CM0011_PartialClassWithoutCacheManager() => VerifyAsync(
        """
        public sealed partial class Service
        {
            [Cached]
            public partial string {|#0:Get|}(int id);

            private string GetCore(int id) => id.ToString();
        }
        """,
        Diagnostic("CM0011").WithLocation(0).WithArguments("Service", "Service.Get(int)", ""));

    [Fact]
    public Task CM0012_PartialMethodWithoutCoreMethod() => VerifyAsync(
        """
        public sealed partial class Service(CacheManager cache)
        {
            [Cached]
            public partial Task<string> {|#0:GetAsync|}(int id);

            private Task<string> GetCoreAsync(long id) => Task.FromResult(id.ToString());
        }
        """,
        Diagnostic("CM0012").WithLocation(0).WithArguments("Service.GetAsync(int)", "GetCoreAsync"));

    [Fact]
    public Task CM0013_MethodOfAGenericType() => VerifyAsync(
        """
        public interface IRepository<T>
        {
            [Cached]
            string {|#0:Get|}(int id);
        }

        public interface IService
        {
            // A generic method is cached: its type argument is part of the key.
            [Cached]
            string Get<T>(int id);
        }
        """,
        Diagnostic("CM0013").WithLocation(0).WithArguments("IRepository<T>.Get(int)"));

    [Fact]
    public Task CM0014_KeyParamsAndNotCacheKeyOnOneParameter() => VerifyAsync(
        """
        public interface IService
        {
            [Cached(KeyParams = [nameof(id)])]
            string Get([NotCacheKey] int {|#0:id|});
        }
        """,
        Diagnostic("CM0014").WithLocation(0).WithArguments("id"));

    [Theory]
    [InlineData("FailSafeSeconds", "seconds")]
    [InlineData("SoftTimeoutMs", "milliseconds")]
    [InlineData("HardTimeoutMs", "milliseconds")]
    public Task CM0015_NegativeFailSafeOrTimeout(string property, string unit) => VerifyAsync(
        $$"""
        public interface IService
        {
            [Cached(FailSafeSeconds = 60, {{property}} = {|#0:-5|})]
            Task<string> GetAsync(int id);
        }
        """.Replace("FailSafeSeconds = 60, FailSafeSeconds", "FailSafeSeconds", StringComparison.Ordinal),
        Diagnostic("CM0015").WithLocation(0).WithArguments(property, "IService.GetAsync(int)", -5, unit));

    [Theory]
    [InlineData("-0.1", "-0.1")]
    [InlineData("1", "1")]
    [InlineData("1.5", "1.5")]
    [InlineData("double.NaN", "NaN")]
    public Task CM0016_RefreshAheadOutsideZeroToOne(string value, string shown) => VerifyAsync(
        $$"""
        public interface IService
        {
            [Cached(Ttl = 60, RefreshAhead = {|#0:{{value}}|})]
            Task<string> GetAsync(int id);
        }
        """,
        Diagnostic("CM0016").WithLocation(0).WithArguments("IService.GetAsync(int)", shown));

    [Fact]
    public Task CM0016_RefreshAheadInRangeReportsNothing() => VerifyAsync(
        """
        public interface IService
        {
            [Cached(Ttl = 60, RefreshAhead = 0.999)]
            Task<string> GetAsync(int id);

            [Cached(RefreshAhead = 0)]
            Task<string> OtherAsync(int id);
        }
        """);

    [Fact]
    public Task CM0017_EmptyOrRepeatedTag() => VerifyAsync(
        """
        public interface IService
        {
            [Cached(Tags = ["ocr", {|#0:""|}, {|#1:"ocr"|}, {|#2:null|}, "pages"])]
            string Get(int id);

            [Cached(Tags = new[] { "a", {|#3:"a"|} })]
            string Other(int id);
        }
        """,
        Diagnostic("CM0017").WithLocation(0).WithArguments("IService.Get(int)", "contain an empty tag, which no invalidation can name"),
        Diagnostic("CM0017").WithLocation(1).WithArguments("IService.Get(int)", "list 'ocr' more than once"),
        Diagnostic("CM0017").WithLocation(2).WithArguments("IService.Get(int)", "contain an empty tag, which no invalidation can name"),
        Diagnostic("CM0017").WithLocation(3).WithArguments("IService.Other(int)", "list 'a' more than once"));

    [Fact]
    public Task CM0018_SoftTimeoutWithoutFailSafe() => VerifyAsync(
        """
        public interface IService
        {
            [Cached(SoftTimeoutMs = {|#0:200|}, HardTimeoutMs = 5000)]
            Task<string> GetAsync(int id);

            [Cached(FailSafeSeconds = 60, SoftTimeoutMs = 200)]
            Task<string> SafeAsync(int id);
        }
        """,
        Diagnostic("CM0018").WithLocation(0).WithArguments("IService.GetAsync(int)"));

    [Fact]
    public Task CM0019_InvalidatorNameTakenByAnInterfaceMember() => VerifyAsync(
        """
        public interface IService
        {
            [Cached]
            Task<string> {|#0:GetAsync|}(int id);

            Task InvalidateGetAsync(string reason);
        }
        """,
        Diagnostic("CM0019").WithLocation(0).WithArguments("InvalidateGetAsync", "IService.GetAsync(int)", "CachedService"));

    [Fact]
    public Task CM0019_InvalidatorNameTakenInAPartialClassOrItsBase() => VerifyAsync(
        """
        public class Base
        {
            protected void InvalidateRender() { }
        }

        public sealed partial class Service(CacheManager cache) : Base
        {
            [Cached]
            public partial string {|#0:Render|}(int id);

            [Cached]
            public partial string {|#1:Load|}(int id);

            private string RenderCore(int id) => id.ToString();

            private string LoadCore(int id) => id.ToString();

            public int InvalidateLoad { get; set; }
        }
        """,
        Diagnostic("CM0019").WithLocation(0).WithArguments("InvalidateRender", "Service.Render(int)", "Service"),
        Diagnostic("CM0019").WithLocation(1).WithArguments("InvalidateLoad", "Service.Load(int)", "Service"));

    [Fact]
    public Task CM0019_InvalidatorNameTakenInTheUsersPartOfTheDecorator() => VerifyAsync(
        """
        public interface IService
        {
            [Cached]
            string {|#0:Get|}(int id);
        }

        public sealed partial class CachedService
        {
            public bool InvalidateGet(int id) => false;
        }
        """,
        Diagnostic("CM0019").WithLocation(0).WithArguments("InvalidateGet", "IService.Get(int)", "CachedService"));

    [Fact]
    public Task CM0020_TwoOverloadsWithTheSameKeyTypes() => VerifyAsync(
        """
        public interface IRates
        {
            [Cached]
            decimal {|#0:Current|}(string currency);

            [Cached]
            decimal {|#1:Current|}(string? currency, [NotCacheKey] string? requestId);

            // A Foo/FooAsync pair gets InvalidateCurrent and InvalidateCurrentAsync, and an overload with
            // other key types its own InvalidateCurrent(long): neither collides.
            [Cached]
            Task<decimal> CurrentAsync(string? currency, CancellationToken cancellationToken);

            [Cached]
            decimal Current(long id);
        }
        """,
        Diagnostic("CM0020").WithLocation(0).WithArguments("IRates.Current(string)", "IRates.Current(string?, string?)", "InvalidateCurrent", "CachedRates"),
        Diagnostic("CM0020").WithLocation(1).WithArguments("IRates.Current(string?, string?)", "IRates.Current(string)", "InvalidateCurrent", "CachedRates"));

    [Fact]
    public Task ValidServicesReportNothing() => VerifyAsync(Sources.InterfaceService + "\n" + Sources.CompositeKeys.Replace("namespace Shapes;", "", StringComparison.Ordinal));

    [Fact]
    public Task PragmaSuppressesAWarning() => VerifyAsync(
        """
        public interface IOcr
        {
            [Cached(KeyParams = [nameof(documentHash)])]
        #pragma warning disable CM0003
            string Recognize(string documentHash, int dpi);
        #pragma warning restore CM0003
        }
        """);

    private static string TypeDisplay(string type) => type switch
    {
        "System.IO.Stream" => "System.IO.Stream",
        "Func<int>" => "System.Func<int>",
        "IDisposable" => "System.IDisposable",
        "Dictionary<string, object>" => "System.Collections.Generic.Dictionary<string, object>",
        "Uri" => "System.Uri",
        "Task" => "System.Threading.Tasks.Task",
        "ValueTask" => "System.Threading.Tasks.ValueTask",
        "IAsyncEnumerable<int>" => "System.Collections.Generic.IAsyncEnumerable<int>",
        "Span<byte>" => "System.Span<byte>",
        _ => type,
    };
}

/// <summary>Every descriptor is documented and tracked in the analyzer release files.</summary>
public sealed class DiagnosticCatalogTests
{
    public static TheoryData<string> Ids => new(CachedMethods.Generators.Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void HasADocPageAReleaseEntryAndAHelpLink(string id)
    {
        var descriptor = CachedMethods.Generators.Diagnostics.DiagnosticDescriptors.All.Single(d => d.Id == id);
        var root = RepositoryRoot();

        Assert.True(File.Exists(Path.Combine(root, "docs", "diagnostics", id + ".md")), $"docs/diagnostics/{id}.md is missing");
        Assert.Equal($"https://github.com/cachedmethods/cachedmethods/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        var unshipped = File.ReadAllText(Path.Combine(root, "generators", "CachedMethods.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | CachedMethods | {descriptor.DefaultSeverity} |", unshipped, StringComparison.Ordinal);
    }

    [Fact]
    public void IdsAreUniqueAndInOrder()
    {
        // Ids are grouped by area (keys CM0021-CM0039, values CM0040 on), so they need not be contiguous.
        var ids = CachedMethods.Generators.Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id).ToList();
        // Features take ranges (CM0021-CM0039 keys, CM0040- stored values): unique and ascending, not contiguous.
        Assert.Equal(ids.Distinct().OrderBy(id => id, StringComparer.Ordinal), ids);
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}
