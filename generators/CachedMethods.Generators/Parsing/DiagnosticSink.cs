using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Collects what the parser finds wrong. The analyzer reports the diagnostics; the generator only asks
/// whether there were errors (then it writes a plain forwarding member), so no Location ever leaves a
/// pipeline step.
/// </summary>
internal sealed class DiagnosticSink
{
    private readonly List<Diagnostic>? _diagnostics;

    private DiagnosticSink(List<Diagnostic>? diagnostics) => _diagnostics = diagnostics;

    /// <summary>A sink that keeps diagnostics, for the analyzer.</summary>
    public static DiagnosticSink Collecting() => new(new List<Diagnostic>());

    /// <summary>A sink that only counts errors, for the generator.</summary>
    public static DiagnosticSink Counting() => new(null);

    public bool HasErrors { get; private set; }

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics ?? (IReadOnlyList<Diagnostic>)System.Array.Empty<Diagnostic>();

    public void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            HasErrors = true;
        }

        _diagnostics?.Add(Diagnostic.Create(descriptor, location, arguments));
    }
}
