using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.Parsing;

/// <summary>The arguments of one [Cached] attribute, with the source locations diagnostics point at.</summary>
internal sealed class CachedAttributeData
{
    private AttributeSyntax? _syntax;

    private CachedAttributeData()
    {
    }

    public int Ttl { get; private set; }

    public int Version { get; private set; }

    public int Tiers { get; private set; } = 7;

    public string? Name { get; private set; }

    /// <summary>The KeyParams names, or <see langword="null"/> when KeyParams is not given.</summary>
    public IReadOnlyList<(string? Name, Location? Location)>? KeyParams { get; private set; }

    /// <summary>The Tags as written (a null element stays null), each with its location.</summary>
    public IReadOnlyList<(string? Tag, Location? Location)> Tags { get; private set; } = System.Array.Empty<(string?, Location?)>();

    public bool DistributedSingleFlight { get; private set; }

    public int FailSafeSeconds { get; private set; }

    public int SoftTimeoutMs { get; private set; }

    public int HardTimeoutMs { get; private set; }

    public double RefreshAhead { get; private set; }

    public bool AllowUnkeyedState { get; private set; }

    public bool AllowMutableResult { get; private set; }

    public static CachedAttributeData Read(AttributeData attribute, CancellationToken cancellationToken)
    {
        var data = new CachedAttributeData { _syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax };
        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value;
            switch (argument.Key)
            {
                case "Ttl" when value.Value is int ttl:
                    data.Ttl = ttl;
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
                    data.KeyParams = data.Elements(value, "KeyParams");
                    break;
                case "Tags" when value.Kind == TypedConstantKind.Array && !value.IsNull:
                    data.Tags = data.Elements(value, "Tags");
                    break;
                case "DistributedSingleFlight" when value.Value is bool singleFlight:
                    data.DistributedSingleFlight = singleFlight;
                    break;
                case "FailSafeSeconds" when value.Value is int failSafe:
                    data.FailSafeSeconds = failSafe;
                    break;
                case "SoftTimeoutMs" when value.Value is int soft:
                    data.SoftTimeoutMs = soft;
                    break;
                case "HardTimeoutMs" when value.Value is int hard:
                    data.HardTimeoutMs = hard;
                    break;
                case "RefreshAhead" when value.Value is double fraction:
                    data.RefreshAhead = fraction;
                    break;
                case "AllowUnkeyedState" when value.Value is bool allowUnkeyed:
                    data.AllowUnkeyedState = allowUnkeyed;
                    break;
                case "AllowMutableResult" when value.Value is bool allowMutable:
                    data.AllowMutableResult = allowMutable;
                    break;
            }
        }

        return data;
    }

    /// <summary>Where the value of the named argument <paramref name="property"/> is written, for a diagnostic.</summary>
    public Location? LocationOf(string property) => ArgumentSyntax(property)?.Expression.GetLocation();

    private List<(string? Value, Location? Location)> Elements(TypedConstant array, string property)
    {
        var elements = ElementLocations(ArgumentSyntax(property));
        return array.Values
            .Select((v, i) => (v.Value as string, elements.Count == array.Values.Length ? elements[i] : ArgumentSyntax(property)?.GetLocation()))
            .ToList();
    }

    private AttributeArgumentSyntax? ArgumentSyntax(string name) =>
        _syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

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
