using System.Globalization;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CachedMethods.Benchmarks.Generator;

/// <summary>
/// A made-up project with a given number of [Cached] methods, for timing the generator: interfaces of
/// <see cref="MethodsPerInterface"/> methods each, one file per interface, mixing the three return
/// shapes, scalar, string, Guid and record keys, TTLs, versions, <c>KeyParams</c> and <c>[NotCacheKey]</c>,
/// plus one uncached member per interface and one unrelated file to edit.
/// </summary>
public sealed class SyntheticCompilation
{
    public const int MethodsPerInterface = 10;

    private SyntheticCompilation(CSharpCompilation compilation, int interfaces, SyntaxTree unrelated, SyntaxTree unrelatedEdited, CSharpParseOptions parseOptions)
    {
        Compilation = compilation;
        Interfaces = interfaces;
        Unrelated = unrelated;
        UnrelatedEdited = unrelatedEdited;
        ParseOptions = parseOptions;
    }

    /// <summary>The project, parsed, with no generated code yet.</summary>
    public CSharpCompilation Compilation { get; }

    /// <summary>How many interfaces hold the [Cached] methods.</summary>
    public int Interfaces { get; }

    /// <summary>A file no [Cached] method depends on.</summary>
    public SyntaxTree Unrelated { get; }

    /// <summary><see cref="Unrelated"/> after an edit: a changed constant.</summary>
    public SyntaxTree UnrelatedEdited { get; }

    public CSharpParseOptions ParseOptions { get; }

    /// <summary>How many files the generator should write: one decorator per interface, the value formatters' resolver, and the DI registration.</summary>
    public int ExpectedGeneratedFiles => Interfaces + 2;

    public static SyntheticCompilation Create(int methodCount)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>();
        for (var first = 0; first < methodCount; first += MethodsPerInterface)
        {
            var index = first / MethodsPerInterface;
            trees.Add(CSharpSyntaxTree.ParseText(Interface(index, Math.Min(MethodsPerInterface, methodCount - first)), parseOptions, $"Service{index}.cs", Encoding.UTF8));
        }

        var unrelated = CSharpSyntaxTree.ParseText(UnrelatedSource(0), parseOptions, "Unrelated.cs", Encoding.UTF8);
        var edited = CSharpSyntaxTree.ParseText(UnrelatedSource(1), parseOptions, "Unrelated.cs", Encoding.UTF8);
        trees.Add(unrelated);

        var references = Net100.References.All.Cast<MetadataReference>()
            .Concat(new[] { typeof(CacheManager), typeof(IServiceCollection), typeof(ILogger), typeof(MessagePack.MessagePackSerializer) }
                .Select(static t => MetadataReference.CreateFromFile(t.Assembly.Location)));
        var compilation = CSharpCompilation.Create(
            $"Synthetic{methodCount}",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return new SyntheticCompilation(compilation, trees.Count - 1, unrelated, edited, parseOptions);
    }

    private static string UnrelatedSource(int value) => $$"""
        namespace Synthetic;

        internal static class Unrelated
        {
            public const int Value = {{value}};
        }
        """;

    private static string Interface(int index, int methods)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $$"""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using CachedMethods;

            namespace Synthetic.Area{{index}};

            public sealed record Result{{index}}(int Id, string Text, double Score);

            public sealed record Query{{index}}(int Page, string Language, Guid Tenant);

            public enum Mode{{index}} { Fast, Accurate }

            public interface IService{{index}}
            {
                string Describe(int value);

            """);
        for (var m = 0; m < methods; m++)
        {
            text.AppendLine((m % 5) switch
            {
                0 => $"    [Cached(Ttl = {60 + m})] Result{index} Get{m}(int id, string name);",
                1 => $"    [Cached] Task<Result{index}> Load{m}Async(string documentHash, int dpi, Mode{index} mode, CancellationToken cancellationToken);",
                2 => $"    [Cached(Version = 2)] ValueTask<Result{index}> Find{m}Async(Guid id, Query{index} query, CancellationToken cancellationToken);",
                3 => $"    [Cached(KeyParams = new[] {{ \"id\" }})] int Count{m}(long id, [NotCacheKey] string? note);",
                _ => $"    [Cached(Tiers = CacheTiers.Memory | CacheTiers.Redis)] ValueTask<string[]> List{m}Async(int[] ids, string? filter, CancellationToken cancellationToken);",
            });
        }

        text.AppendLine("}");
        return text.ToString();
    }
}
