using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.Parsing;

/// <summary>The arguments of one [Cached] attribute, with the source locations diagnostics point at.</summary>
internal sealed class CachedAttributeData
{
    private CachedAttributeData()
    {
    }

    public int Ttl { get; private set; }

    public Location? TtlLocation { get; private set; }

    public int Version { get; private set; }

    public int Tiers { get; private set; } = 7;

    public string? Name { get; private set; }

    /// <summary>The KeyParams names, or <see langword="null"/> when KeyParams is not given.</summary>
    public IReadOnlyList<(string? Name, Location? Location)>? KeyParams { get; private set; }

    public static CachedAttributeData Read(AttributeData attribute, CancellationToken cancellationToken)
    {
        var data = new CachedAttributeData();
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value;
            switch (argument.Key)
            {
                case "Ttl" when value.Value is int ttl:
                    data.Ttl = ttl;
                    data.TtlLocation = ArgumentSyntax(syntax, "Ttl")?.Expression.GetLocation();
                    break;
                case "Version" when value.Value is int version:
                    data.Version = version;
                    break;
                case "Tiers" when value.Value is int tiers:
                    data.Tiers = tiers;
                    break;
                case "Name":
                    data.Name = value.Value as string;
                    break;
                case "KeyParams" when value.Kind == TypedConstantKind.Array && !value.IsNull:
                    var elements = ElementLocations(ArgumentSyntax(syntax, "KeyParams"));
                    data.KeyParams = value.Values
                        .Select((v, i) => (v.Value as string, elements.Count == value.Values.Length ? elements[i] : ArgumentSyntax(syntax, "KeyParams")?.GetLocation()))
                        .ToList();
                    break;
            }
        }

        return data;
    }

    private static AttributeArgumentSyntax? ArgumentSyntax(AttributeSyntax? syntax, string name) =>
        syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    private static IReadOnlyList<Location> ElementLocations(AttributeArgumentSyntax? argument)
    {
        IEnumerable<ExpressionSyntax>? expressions = argument?.Expression switch
        {
            CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) =>
                collection.Elements.Cast<ExpressionElementSyntax>().Select(e => e.Expression),
            ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions,
            ArrayCreationExpressionSyntax array => array.Initializer?.Expressions,
            _ => null,
        };

        return expressions?.Select(e => e.GetLocation()).ToList() ?? (IReadOnlyList<Location>)System.Array.Empty<Location>();
    }
}
