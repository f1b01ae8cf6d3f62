using System.Collections.Generic;
using System.Linq;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// The stored types of one generated file's cached methods: each walked once however many methods return it,
/// and the formatters they need, for the file's <see cref="TargetModel"/>.
/// </summary>
internal sealed class StoredTypes
{
    private readonly Dictionary<ITypeSymbol, ValueShape> _shapes = new(SymbolEqualityComparer.IncludeNullability);
    private readonly Dictionary<string, FormatterModel> _formatters = new(System.StringComparer.Ordinal);

    public ValueShape Walk(ITypeSymbol type, IAssemblySymbol within)
    {
        if (!_shapes.TryGetValue(type, out var shape))
        {
            shape = ValueShapeWalker.Walk(type, within);
            _shapes.Add(type, shape);
            foreach (var formatter in shape.Formatters)
            {
                _formatters[formatter.Type] = formatter;
            }
        }

        return shape;
    }

    /// <summary>Every formatter found, each type once, ordered by type name.</summary>
    public EquatableArray<FormatterModel> Formatters() =>
        _formatters.Values.OrderBy(f => f.Type, System.StringComparer.Ordinal).ToEquatableArray();
}
