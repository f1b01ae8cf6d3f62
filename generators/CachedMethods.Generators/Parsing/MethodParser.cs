using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CachedMethods.Generators.Diagnostics;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Turns one [Cached] method into a <see cref="CachedCallModel"/>: its return kind, its key and its
/// options, checking every rule of the key on the way.
/// </summary>
internal static class MethodParser
{
    /// <summary>Where a cached call's value comes from and how the cache is reached.</summary>
    /// <param name="ScopeType">The type named in the key's scope.</param>
    /// <param name="Target">The method that computes the value.</param>
    /// <param name="Owner">What the target is called on.</param>
    /// <param name="CacheExpression">How generated code reads the CacheManager.</param>
    /// <param name="OptionsField">The static CacheEntryOptions field of the method.</param>
    /// <param name="SelfType">The generated type, global::-qualified.</param>
    /// <param name="SelfKey">For a partial class: the state of the instance (or type) that goes into every key.</param>
    internal readonly record struct CallSite(
        INamedTypeSymbol ScopeType,
        string Target,
        TargetOwner Owner,
        string CacheExpression,
        string OptionsField,
        string SelfType,
        IReadOnlyList<KeyPartModel>? SelfKey = null);

    /// <summary>
    /// Parses <paramref name="attributed"/>, the method that carries [Cached]. <paramref name="signature"/>
    /// is the method whose parameter names the generated code uses (the interface method of a decorator
    /// built from a class's attributes); usually the same method. Its stored type is walked through
    /// <paramref name="stored"/> when given, so a file walks each type once. Returns <see langword="null"/> after an error.
    /// </summary>
    public static CachedCallModel? Parse(
        IMethodSymbol attributed,
        IMethodSymbol signature,
        AttributeData attribute,
        CallSite site,
        Dictionary<string, ObjectEncoderModel> encoders,
        StoredTypes? stored,
        DiagnosticSink sink,
        CancellationToken cancellationToken)
    {
        var data = CachedAttributeData.Read(attribute, cancellationToken);
        var methodName = new MethodDisplayName(attributed);
        var methodLocation = attributed.Locations.FirstOrDefault();

        var options = EntryOptionsParser.Parse(data, methodName, methodLocation, sink);

        if (IsInGenericType(attributed.ContainingType))
        {
            sink.Report(DiagnosticDescriptors.GenericNotSupported, methodLocation, methodName);
        }

        var (returnKind, resultType, resultShape) = ReadReturnType(attributed, methodName, stored, sink, cancellationToken);
        var (keyParameters, cancellationTokenParameter) = SelectKeyParameters(attributed, data, methodName, sink);

        var planner = new KeyShapePlanner(encoders, attributed.ContainingAssembly);
        var keyParts = new List<KeyPartModel>();
        if (site.SelfKey is { } selfKey)
        {
            keyParts.AddRange(selfKey);
        }

        foreach (var parameter in keyParameters)
        {
            var planned = planner.Plan(parameter.Type);
            if (planned.Shape is { } shape)
            {
                keyParts.Add(new KeyPartModel(parameter.Name, TypeFacts.Escape(signature.Parameters[parameter.Ordinal].Name), shape));
            }
            else if (planned.Reason is { } reason)
            {
                sink.Report(DiagnosticDescriptors.ParameterNotKeyable, parameter.Locations.FirstOrDefault(), parameter.Name, parameter.Type.ToDisplayString(), reason);
            }
        }

        if (sink.HasErrors || returnKind is not { } kind || resultType is null || resultShape is null)
        {
            return null;
        }

        return new CachedCallModel(
            kind,
            TypeFacts.Display(resultType),
            data.Name ?? TypeFacts.CanonicalName(site.ScopeType),
            data.Name is null ? ScopeMethod(signature) : string.Empty,
            data.Version,
            resultShape.Fingerprint,
            options,
            site.OptionsField,
            keyParts.ToEquatableArray(),
            kind == ReturnKind.Sync || cancellationTokenParameter is null
                ? null
                : TypeFacts.Escape(signature.Parameters[cancellationTokenParameter.Ordinal].Name),
            site.Target,
            site.Owner,
            site.CacheExpression,
            signature.TypeParameters.Select(t => TypeFacts.Escape(t.Name)).ToEquatableArray(),
            site.SelfType);
    }

    /// <summary>
    /// The method part of the scope: its name, arity and parameter types, so overloads such as
    /// <c>Count(int)</c> and <c>Count(int?)</c> never share a key. Nullable reference annotations do not count.
    /// </summary>
    internal static string ScopeMethod(IMethodSymbol method)
    {
        var text = new System.Text.StringBuilder(method.Name);
        if (method.Arity > 0)
        {
            text.Append('`').Append(method.Arity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        text.Append('(');
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(TypeFacts.CanonicalName(method.Parameters[i].Type));
        }

        return text.Append(')').ToString();
    }

    internal static bool IsInGenericType(INamedTypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static (ReturnKind? Kind, ITypeSymbol? Result, ValueShape? Shape) ReadReturnType(
        IMethodSymbol method, MethodDisplayName methodName, StoredTypes? stored, DiagnosticSink sink, CancellationToken cancellationToken)
    {
        var type = method.ReturnType;
        string? problem = null;
        (ReturnKind? Kind, ITypeSymbol? Result) outcome = (null, null);
        var metadataName = TypeFacts.MetadataName(type);
        if (method.ReturnsVoid)
        {
            problem = "it returns nothing to cache";
        }
        else if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            problem = "a ref return points into memory the cache cannot hold";
        }
        else if (metadataName is "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask")
        {
            problem = "it completes without a value to cache";
        }
        else if (metadataName is "System.Collections.Generic.IAsyncEnumerable`1")
        {
            problem = "a stream of values is not cached as one value; return Task<List<T>> instead";
        }
        else if (metadataName is "System.Threading.Tasks.Task`1" or "System.Threading.Tasks.ValueTask`1")
        {
            var result = ((INamedTypeSymbol)type).TypeArguments[0];
            outcome = (metadataName == "System.Threading.Tasks.Task`1" ? ReturnKind.Task : ReturnKind.ValueTask, result);
        }
        else if (type.IsRefLikeType || type is IPointerTypeSymbol or IFunctionPointerTypeSymbol)
        {
            problem = "a ref struct or pointer cannot be stored";
        }
        else if (type is IErrorTypeSymbol)
        {
            return (null, null, null);
        }
        else
        {
            outcome = (ReturnKind.Sync, type);
        }

        var returnTypeLocation = method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .Select(m => m.ReturnType.GetLocation())
            .FirstOrDefault() ?? method.Locations.FirstOrDefault();

        if (problem is not null)
        {
            sink.Report(DiagnosticDescriptors.UnsupportedReturnType, returnTypeLocation, methodName, type.ToDisplayString(), problem);
            return (null, null, null);
        }

        var shape = stored?.Walk(outcome.Result!, method.ContainingAssembly) ?? ValueShapeWalker.Walk(outcome.Result!, method.ContainingAssembly);
        foreach (var reason in shape.Problems)
        {
            sink.Report(DiagnosticDescriptors.ResultNotSerializable, returnTypeLocation, outcome.Result!.ToDisplayString(), methodName, reason);
        }

        return (outcome.Kind, outcome.Result, shape);
    }

    private static (List<IParameterSymbol> Key, IParameterSymbol? CancellationToken) SelectKeyParameters(
        IMethodSymbol method, CachedAttributeData data, MethodDisplayName methodName, DiagnosticSink sink)
    {
        IParameterSymbol? cancellationToken = null;
        var candidates = new List<IParameterSymbol>();
        foreach (var parameter in method.Parameters)
        {
            var location = parameter.Locations.FirstOrDefault();
            if (parameter.RefKind != RefKind.None)
            {
                sink.Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, methodName, $"passed by '{RefKindText(parameter.RefKind)}'");
                continue;
            }

            if (parameter.Type.IsRefLikeType)
            {
                sink.Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, methodName, $"a ref struct ('{parameter.Type.ToDisplayString()}')");
                continue;
            }

            if (parameter.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol)
            {
                sink.Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, methodName, "a pointer");
                continue;
            }

            if (TypeFacts.Is(parameter.Type, "System.Threading.CancellationToken"))
            {
                // Excluded from every key; the first one receives the engine's token.
                cancellationToken ??= parameter;
                if (data.KeyParams?.Any(k => k.Name == parameter.Name) != true)
                {
                    continue;
                }
            }

            candidates.Add(parameter);
        }

        var notCacheKey = new HashSet<string>(method.Parameters.Where(p => TypeFacts.HasAttribute(p, TypeFacts.NotCacheKeyAttribute)).Select(p => p.Name));
        if (data.KeyParams is not { } keyParams)
        {
            return (candidates.Where(p => !notCacheKey.Contains(p.Name)).ToList(), cancellationToken);
        }

        var listed = new HashSet<string>();
        foreach (var (name, location) in keyParams)
        {
            if (name is null || method.Parameters.All(p => p.Name != name))
            {
                sink.Report(DiagnosticDescriptors.KeyParamsNameNotFound, location, name ?? "null", methodName);
            }
            else if (!listed.Add(name))
            {
                sink.Report(DiagnosticDescriptors.KeyParamsDuplicate, location, name, methodName);
            }
        }

        foreach (var parameter in method.Parameters)
        {
            var location = parameter.Locations.FirstOrDefault();
            if (listed.Contains(parameter.Name) && notCacheKey.Contains(parameter.Name))
            {
                sink.Report(DiagnosticDescriptors.KeyParamMarkedNotCacheKey, location, parameter.Name);
            }
            else if (!listed.Contains(parameter.Name) && !notCacheKey.Contains(parameter.Name)
                && parameter.RefKind == RefKind.None && !TypeFacts.Is(parameter.Type, "System.Threading.CancellationToken"))
            {
                sink.Report(DiagnosticDescriptors.ParameterNotInKey, location, parameter.Name);
            }
        }

        return (candidates.Where(p => listed.Contains(p.Name)).ToList(), cancellationToken);
    }

    private static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Out => "out",
        RefKind.In => "in",
        RefKind.RefReadOnlyParameter => "ref readonly",
        _ => "ref",
    };
}
