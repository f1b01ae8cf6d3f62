using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Builds the model of the file one [Cached] method belongs to: the whole decorator of its interface,
/// or the generated part of its partial class. Several methods of one type give equal models; the
/// pipeline keeps one.
/// </summary>
internal static class TargetParser
{
    /// <summary>
    /// The model of the file <paramref name="context"/>'s method belongs to, parsed only for the first [Cached]
    /// method of its type: every other method of the type gives <see langword="null"/>, so a type of n cached
    /// methods is parsed once rather than n times.
    /// </summary>
    public static TargetModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is IMethodSymbol method && IsRepresentative(method, cancellationToken) ? Parse(method, null, cancellationToken) : null;

    /// <summary>
    /// Whether <paramref name="method"/> is the first [Cached] method, in member order, of the methods that
    /// complete the same generated type: those of its interface, or those of its class that implement the
    /// same interface, or the partial methods of its class.
    /// </summary>
    private static bool IsRepresentative(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var type = method.ContainingType;
        if (type.TypeKind == TypeKind.Interface)
        {
            return SymbolEqualityComparer.Default.Equals(FirstCached(type, static (_, _) => true, cancellationToken), method);
        }

        if (SurfaceResolver.IsPartialDefinition(method, cancellationToken))
        {
            return SymbolEqualityComparer.Default.Equals(FirstCached(type, static (m, ct) => SurfaceResolver.IsPartialDefinition(m, ct), cancellationToken), method);
        }

        var surface = SurfaceResolver.Resolve(method, DiagnosticSink.Counting(), cancellationToken);
        if (surface.Kind != SurfaceKind.Implementation)
        {
            return true;
        }

        var first = FirstCached(
            type,
            (m, ct) => !SurfaceResolver.IsPartialDefinition(m, ct)
                && SymbolEqualityComparer.Default.Equals(SurfaceResolver.Resolve(m, DiagnosticSink.Counting(), ct).Interface, surface.Interface),
            cancellationToken);
        return SymbolEqualityComparer.Default.Equals(first, method);
    }

    private static IMethodSymbol? FirstCached(INamedTypeSymbol type, System.Func<IMethodSymbol, CancellationToken, bool> sameTarget, CancellationToken cancellationToken)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method
                && !(method.IsStatic && type.TypeKind == TypeKind.Interface)
                && TypeFacts.HasAttribute(method, TypeFacts.CachedAttribute)
                && sameTarget(method, cancellationToken))
            {
                return method;
            }
        }

        return null;
    }

    /// <summary>
    /// For the analyzer: why invalidation methods are left out (CM0019, CM0020) of each generated type that
    /// the [Cached] methods declared in <paramref name="type"/> belong to. Each such type is planned exactly
    /// as the generator plans it.
    /// </summary>
    public static List<Diagnostic> InvalidatorDiagnostics(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        var planned = new HashSet<string>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (!TypeFacts.HasAttribute(method, TypeFacts.CachedAttribute))
            {
                continue;
            }

            var plans = new List<InvalidatorPlanner.Plan>();
            if (Parse(method, plans, cancellationToken) is { } model && planned.Add(model.HintName))
            {
                diagnostics.AddRange(plans.SelectMany(p => p.Diagnostics));
            }
        }

        return diagnostics;
    }

    private static TargetModel? Parse(IMethodSymbol method, List<InvalidatorPlanner.Plan>? plans, CancellationToken cancellationToken)
    {
        var surface = SurfaceResolver.Resolve(method, DiagnosticSink.Counting(), cancellationToken);
        return surface.Kind switch
        {
            SurfaceKind.Interface when !MethodParser.IsInGenericType(surface.Interface) => Decorator(surface.Interface!, null, plans, cancellationToken),
            SurfaceKind.Implementation when !MethodParser.IsInGenericType(surface.Interface) && !MethodParser.IsInGenericType(method.ContainingType)
                => Decorator(surface.Interface!, method.ContainingType, plans, cancellationToken),
            SurfaceKind.Partial when !MethodParser.IsInGenericType(method.ContainingType) => PartialClass(method.ContainingType, plans, cancellationToken),
            _ => null,
        };
    }

    /// <summary>The decorator's name: IOcrService → CachedOcrService; from a class, OcrService → CachedOcrService.</summary>
    public static string DecoratorName(INamedTypeSymbol @interface, INamedTypeSymbol? implementation)
    {
        if (implementation is not null)
        {
            var cachedInterfaces = implementation.AllInterfaces.Count(i => i.GetMembers().OfType<IMethodSymbol>()
                .Any(m => implementation.FindImplementationForInterfaceMember(m) is { } impl && TypeFacts.HasAttribute(impl, TypeFacts.CachedAttribute)));
            return cachedInterfaces > 1
                ? "Cached" + implementation.Name + "As" + StripInterfacePrefix(@interface.Name)
                : "Cached" + implementation.Name;
        }

        return "Cached" + StripInterfacePrefix(@interface.Name);
    }

    private static string StripInterfacePrefix(string name) =>
        name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]) ? name.Substring(1) : name;

    private static TargetModel Decorator(INamedTypeSymbol @interface, INamedTypeSymbol? implementation, List<InvalidatorPlanner.Plan>? plans, CancellationToken cancellationToken)
    {
        var name = DecoratorName(@interface, implementation);
        var scopeType = implementation ?? @interface;
        var decoratorNamespace = NamespaceOf(@interface);
        var selfType = "global::" + (decoratorNamespace is null ? name : decoratorNamespace + "." + name);
        var encoders = new Dictionary<string, ObjectEncoderModel>();
        var stored = new StoredTypes();
        var members = new List<MemberModel>();
        var invalidated = new List<(int Index, InvalidatorPlanner.Candidate Candidate)>();
        var signatures = new HashSet<string>();
        var optionFields = new HashSet<string>();
        var interfaceDisplay = @interface.ToDisplayString(TypeFacts.Qualified);

        foreach (var declaring in new[] { @interface }.Concat(@interface.AllInterfaces))
        {
            foreach (var member in declaring.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member.IsStatic || !(member.IsAbstract || member.IsVirtual))
                {
                    continue;
                }

                // A second member with the same signature from another interface is implemented explicitly.
                var explicitInterface = signatures.Add(Signature(member)) ? null : declaring.ToDisplayString(TypeFacts.Qualified);
                var baseInterface = SymbolEqualityComparer.Default.Equals(declaring, @interface) ? null : declaring.ToDisplayString(TypeFacts.Qualified);
                switch (member)
                {
                    case IMethodSymbol { MethodKind: MethodKind.Ordinary } interfaceMethod:
                        var attributed = implementation is null
                            ? interfaceMethod
                            : implementation.FindImplementationForInterfaceMember(interfaceMethod) as IMethodSymbol;
                        var attribute = attributed is null ? null : TypeFacts.FindAttribute(attributed, TypeFacts.CachedAttribute);
                        CachedCallModel? cached = null;
                        if (attributed is not null && attribute is not null && explicitInterface is null)
                        {
                            var site = new MethodParser.CallSite(scopeType, TypeFacts.Escape(interfaceMethod.Name), TargetOwner.Inner, "this._cache", OptionsField(interfaceMethod.Name, optionFields), selfType);
                            cached = MethodParser.Parse(attributed, interfaceMethod, attribute, site, encoders, stored, DiagnosticSink.Counting(), cancellationToken);
                        }

                        if (cached is not null)
                        {
                            invalidated.Add((members.Count, new InvalidatorPlanner.Candidate(attributed!, interfaceMethod, cached, "public", explicitInterface is null ? interfaceMethod.TypeParameters.Select(Constraint).Where(c => c is not null).Select(c => c!).ToEquatableArray() : EquatableArray<string>.Empty)));
                        }

                        members.Add(Method(interfaceMethod, explicitInterface, baseInterface, string.Empty, null, cached));
                        break;
                    case IPropertySymbol property:
                        members.Add(new MemberModel(
                            property.IsIndexer ? MemberKind.Indexer : MemberKind.Property,
                            TypeFacts.Escape(property.Name),
                            TypeFacts.Display(property.Type),
                            RefPrefix(property.ReturnsByRef, property.ReturnsByRefReadonly),
                            explicitInterface,
                            baseInterface,
                            string.Empty,
                            EquatableArray<string>.Empty,
                            property.Parameters.Select(Parameter).ToEquatableArray(),
                            property.GetMethod is not null,
                            property.SetMethod is not null,
                            property.SetMethod?.IsInitOnly == true,
                            string.Empty,
                            null,
                            null));
                        break;
                    case IEventSymbol @event:
                        members.Add(new MemberModel(
                            MemberKind.Event,
                            TypeFacts.Escape(@event.Name),
                            TypeFacts.Display(@event.Type),
                            string.Empty,
                            explicitInterface,
                            baseInterface,
                            string.Empty,
                            EquatableArray<string>.Empty,
                            EquatableArray<ParameterModel>.Empty,
                            false,
                            false,
                            false,
                            string.Empty,
                            null,
                            null));
                        break;
                }
            }
        }

        var ns = NamespaceOf(@interface);

        // The decorator has the interfaces' members, and those of any partial part the user wrote for it.
        var userPart = scopeType.ContainingAssembly.GetTypeByMetadataName(ns is null ? name : ns + "." + name);
        var taken = InvalidatorPlanner.TakenNames(new[] { @interface }.Concat(@interface.AllInterfaces).Append(userPart));
        AddInvalidators(members, invalidated, taken, name, plans);
        return new TargetModel(
            implementation is null ? TargetKind.InterfaceDecorator : TargetKind.ImplementationDecorator,
            HintName(ns, name),
            ns,
            TypeFacts.IsEffectivelyPublic(@interface) ? "public" : "internal",
            name,
            "class",
            EquatableArray<ContainingTypeModel>.Empty,
            interfaceDisplay,
            implementation?.ToDisplayString(TypeFacts.Qualified),
            members.ToEquatableArray(),
            encoders.Values.OrderBy(e => e.Type, System.StringComparer.Ordinal).ToEquatableArray(),
            stored.Formatters());
    }

    private static TargetModel PartialClass(INamedTypeSymbol type, List<InvalidatorPlanner.Plan>? plans, CancellationToken cancellationToken)
    {
        var selfType = type.ToDisplayString(TypeFacts.Qualified);
        var encoders = new Dictionary<string, ObjectEncoderModel>();
        var stored = new StoredTypes();
        var selfKey = SelfKeyPlanner.Plan(type, encoders, cancellationToken);
        var members = new List<MemberModel>();
        var invalidated = new List<(int Index, InvalidatorPlanner.Candidate Candidate)>();
        var optionFields = new HashSet<string>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            var attribute = TypeFacts.FindAttribute(method, TypeFacts.CachedAttribute);
            if (attribute is null || !SurfaceResolver.IsPartialDefinition(method, cancellationToken))
            {
                continue;
            }

            var sink = DiagnosticSink.Counting();
            var surface = SurfaceResolver.Resolve(method, sink, cancellationToken);
            CachedCallModel? cached = null;
            if (!sink.HasErrors && surface.Core is { } core && surface.CacheExpression is { } cache)
            {
                var owner = core.IsStatic ? TargetOwner.Static : TargetOwner.Self;
                var target = core.IsStatic ? selfType + "." + TypeFacts.Escape(core.Name) : TypeFacts.Escape(core.Name);
                var site = new MethodParser.CallSite(type, target, owner, cache, OptionsField(method.Name, optionFields), selfType, selfKey.For(method.IsStatic));
                cached = selfKey.HasErrors ? null : MethodParser.Parse(method, method, attribute, site, encoders, stored, sink, cancellationToken);
            }

            if (cached is not null)
            {
                var invalidatorModifiers = AccessibilityText(method.DeclaredAccessibility) + (method.IsStatic ? " static" : string.Empty);
                invalidated.Add((members.Count, new InvalidatorPlanner.Candidate(method, method, cached, invalidatorModifiers, method.TypeParameters.Select(Constraint).Where(c => c is not null).Select(c => c!).ToEquatableArray())));
            }

            var modifiers = method.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(cancellationToken))
                .OfType<MethodDeclarationSyntax>()
                .Select(m => string.Join(" ", m.Modifiers.Select(t => t.ValueText)))
                .FirstOrDefault() ?? "partial";
            var forwardTo = surface.Core is { } core0 ? (core0.IsStatic ? selfType + "." : "this.") + TypeFacts.Escape(core0.Name) : null;
            members.Add(Method(method, null, null, modifiers, forwardTo, cached));
        }

        var containing = new List<ContainingTypeModel>();
        for (var t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            containing.Insert(0, new ContainingTypeModel(Keyword(t), TypeFacts.Escape(t.Name)));
        }

        AddInvalidators(members, invalidated, InvalidatorPlanner.TakenNames(new[] { type }), type.Name, plans);
        var ns = NamespaceOf(type);
        var fileName = string.Join(".", containing.Select(c => c.Name).Concat(new[] { type.Name }));
        return new TargetModel(
            TargetKind.PartialClass,
            HintName(ns, fileName),
            ns,
            string.Empty,
            TypeFacts.Escape(type.Name),
            Keyword(type),
            containing.ToEquatableArray(),
            null,
            null,
            members.ToEquatableArray(),
            encoders.Values.OrderBy(e => e.Type, System.StringComparer.Ordinal).ToEquatableArray(),
            stored.Formatters());
    }

    /// <summary>Gives each cached member its invalidation methods, once every cached member of the type is known.</summary>
    private static void AddInvalidators(
        List<MemberModel> members,
        List<(int Index, InvalidatorPlanner.Candidate Candidate)> invalidated,
        ISet<string> taken,
        string typeName,
        List<InvalidatorPlanner.Plan>? plans)
    {
        var planned = InvalidatorPlanner.PlanAll(invalidated.Select(c => c.Candidate).ToList(), taken, typeName);
        for (var i = 0; i < planned.Count; i++)
        {
            var (index, candidate) = invalidated[i];
            members[index] = members[index] with { Cached = candidate.Call with { Invalidators = planned[i].Model } };
        }

        plans?.AddRange(planned);
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static MemberModel Method(IMethodSymbol method, string? explicitInterface, string? baseInterface, string modifiers, string? forwardTo, CachedCallModel? cached) =>
        new(
            MemberKind.Method,
            TypeFacts.Escape(method.Name),
            TypeFacts.Display(method.ReturnType),
            RefPrefix(method.ReturnsByRef, method.ReturnsByRefReadonly),
            explicitInterface,
            baseInterface,
            TypeParameterList(method),
            explicitInterface is null ? method.TypeParameters.Select(Constraint).Where(c => c is not null).Select(c => c!).ToEquatableArray() : EquatableArray<string>.Empty,
            method.Parameters.Select(Parameter).ToEquatableArray(),
            false,
            false,
            false,
            modifiers,
            forwardTo,
            cached);

    internal static string TypeParameterList(IMethodSymbol method) =>
        method.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", method.TypeParameters.Select(t => TypeFacts.Escape(t.Name))) + ">";

    private static ParameterModel Parameter(IParameterSymbol parameter)
    {
        var prefix = new StringBuilder();
        if (parameter.Ordinal == 0 && parameter.ContainingSymbol is IMethodSymbol { IsExtensionMethod: true })
        {
            prefix.Append("this ");
        }

        if (parameter.IsParams)
        {
            prefix.Append("params ");
        }

        if (parameter.ScopedKind != ScopedKind.None && parameter.RefKind != RefKind.Out)
        {
            prefix.Append("scoped ");
        }

        var argument = parameter.RefKind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            RefKind.RefReadOnlyParameter => "in ",
            _ => string.Empty,
        };
        prefix.Append(parameter.RefKind == RefKind.RefReadOnlyParameter ? "ref readonly " : argument);
        return new ParameterModel(TypeFacts.Escape(parameter.Name), TypeFacts.Display(parameter.Type), prefix.ToString(), argument);
    }

    private static string? Constraint(ITypeParameterSymbol parameter)
    {
        var parts = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
        {
            parts.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (parameter.HasUnmanagedTypeConstraint)
        {
            parts.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            parts.Add("struct");
        }
        else if (parameter.HasNotNullConstraint)
        {
            parts.Add("notnull");
        }

        parts.AddRange(parameter.ConstraintTypes.Select(TypeFacts.Display));
        if (parameter.HasConstructorConstraint)
        {
            parts.Add("new()");
        }

        return parts.Count == 0 ? null : $"where {TypeFacts.Escape(parameter.Name)} : {string.Join(", ", parts)}";
    }

    private static string RefPrefix(bool byRef, bool byRefReadonly) => byRefReadonly ? "ref readonly " : byRef ? "ref " : string.Empty;

    private static string Signature(ISymbol member) => member switch
    {
        IMethodSymbol m => m.Name + "`" + m.TypeParameters.Length + "(" + string.Join(",", m.Parameters.Select(p => p.RefKind + " " + p.Type.ToDisplayString(TypeFacts.Qualified))) + ")",
        IPropertySymbol { IsIndexer: true } p => "this[" + string.Join(",", p.Parameters.Select(x => x.Type.ToDisplayString(TypeFacts.Qualified))) + "]",
        _ => member.Name,
    };

    private static string OptionsField(string methodName, HashSet<string> taken)
    {
        var camel = char.ToLowerInvariant(methodName[0]) + methodName.Substring(1);
        var field = "s_" + camel + "Options";
        for (var i = 2; !taken.Add(field); i++)
        {
            field = "s_" + camel + "Options" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return field;
    }

    private static string Keyword(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (_, TypeKind.Struct) => "struct",
        (_, TypeKind.Interface) => "interface",
        _ => "class",
    };

    private static string? NamespaceOf(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null;

    private static string HintName(string? ns, string name) => (ns is null ? name : ns + "." + name) + ".g.cs";
}
