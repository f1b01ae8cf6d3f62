using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CachedMethods.Generators.Emit;
using CachedMethods.Generators.Model;
using CachedMethods.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators;

/// <summary>
/// Writes the caching code for [Cached] methods: a decorator per interface, the bodies of partial
/// methods, and the DI registration. Parse → model → emit; diagnostics come from
/// <see cref="Diagnostics.CachedMethodsAnalyzer"/>, so this pipeline carries only equatable models.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CachedGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var targets = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeFacts.CachedAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntax, cancellationToken) => TargetParser.Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.Targets)
            .Where(static target => target is not null)
            .Select(static (target, _) => target!);

        var collected = targets.Collect();

        // Every [Cached] method of a type yields the same model of that type's file: keep one.
        var files = collected
            .SelectMany(static (all, _) => Distinct(all))
            .WithTrackingName(TrackingNames.Files);
        context.RegisterSourceOutput(files, static (output, model) => output.AddSource(model.HintName, TargetEmitter.Emit(model)));

        // One resolver per assembly, for the stored types of [Cached] methods (walked once, by the parser of
        // their type) and the [CacheSerializable] types.
        var serializableValues = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                FormatterRootParser.CacheSerializableAttribute,
                static (node, _) => node is CompilationUnitSyntax or ClassDeclarationSyntax,
                FormatterRootParser.FromSerializable)
            .WithTrackingName(TrackingNames.SerializableValues);
        var hasFormatterRegistry = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName("CachedMethods.Serialization.CacheFormatters") is not null);
        var formatters = files.Select(static (model, _) => model.Formatters).Collect()
            .Combine(serializableValues.Collect())
            .Combine(hasFormatterRegistry)
            .Select(static (pair, _) => pair.Right ? Merge(pair.Left.Left.AddRange(pair.Left.Right)) : EquatableArray<FormatterModel>.Empty)
            .WithTrackingName(TrackingNames.Formatters);
        context.RegisterSourceOutput(formatters, static (output, model) =>
        {
            if (!model.IsEmpty)
            {
                output.AddSource(FormatterEmitter.HintName, FormatterEmitter.Emit(model));
            }
        });

        var hasDependencyInjection = context.CompilationProvider
            .Select(static (compilation, _) =>
                compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions") is not null)
            .WithTrackingName(TrackingNames.DependencyInjection);

        var registration = collected
            .Combine(hasDependencyInjection)
            .Select(static (pair, _) => pair.Right ? Registration(pair.Left) : null)
            .WithTrackingName(TrackingNames.Registration);
        context.RegisterSourceOutput(registration, static (output, model) =>
        {
            if (model is { Decorators.IsEmpty: false })
            {
                output.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(model));
            }
        });
    }

    private static ImmutableArray<TargetModel> Distinct(ImmutableArray<TargetModel> all)
    {
        var seen = new HashSet<string>();
        return all.Where(t => seen.Add(t.HintName)).ToImmutableArray();
    }

    /// <summary>Every root's formatters, each type once, ordered by type name so the output is deterministic.</summary>
    private static EquatableArray<FormatterModel> Merge(ImmutableArray<EquatableArray<FormatterModel>> roots)
    {
        var byType = new Dictionary<string, FormatterModel>(System.StringComparer.Ordinal);
        foreach (var formatter in roots.SelectMany(static r => r))
        {
            if (!byType.ContainsKey(formatter.Type))
            {
                byType[formatter.Type] = formatter;
            }
        }

        return byType.Values.OrderBy(static f => f.Type, System.StringComparer.Ordinal).ToEquatableArray();
    }

    private static RegistrationModel Registration(ImmutableArray<TargetModel> all) =>
        new(Distinct(all)
            .Where(t => t.Kind != TargetKind.PartialClass && t.Members.Any(m => m.Cached is not null))
            .Select(t => new DecoratorRegistration(
                t.InterfaceType!,
                "global::" + (t.Namespace is null ? t.TypeName : t.Namespace + "." + t.TypeName),
                t.Kind == TargetKind.ImplementationDecorator ? t.ImplementationType : null))
            .OrderBy(d => d.InterfaceType, System.StringComparer.Ordinal)
            .ThenBy(d => d.DecoratorType, System.StringComparer.Ordinal)
            .ToEquatableArray());
}
