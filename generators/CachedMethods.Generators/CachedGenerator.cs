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
