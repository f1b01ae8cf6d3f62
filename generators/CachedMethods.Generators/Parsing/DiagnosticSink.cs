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

        if (_diagnostics is null)
        {
            return;
        }

        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] is MethodDisplayName name)
            {
                arguments[i] = name.ToString();
            }
        }

        _diagnostics.Add(Diagnostic.Create(descriptor, location, arguments));
    }
}

/// <summary>
/// A method's name as messages show it ("Load(string, int)"), built only when a diagnostic is kept: the
/// generator parses every [Cached] method on every edit and reports nothing, so it never pays for the display.
/// </summary>
internal sealed class MethodDisplayName(IMethodSymbol method)
{
    private string? _text;

    public override string ToString() => _text ??= method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
}
