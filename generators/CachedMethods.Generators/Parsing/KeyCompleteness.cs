using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// The key-completeness rule for a type keyed member by member: its key must cover every piece of state
/// an instance holds, or two different arguments share an entry. The state of an object is its instance
/// fields (auto-property backing fields and captured primary-constructor parameters included), in its
/// class and every base class, so the rule is:
/// <list type="number">
/// <item>the type is declared in the assembly being compiled (the private fields of another assembly's
/// types cannot be seen: reference assemblies drop them), and so is every base class;</item>
/// <item>it is a struct or a sealed class: a derived class's extra fields would not be keyed;</item>
/// <item>every instance field is readable by generated code (public or internal, directly or through its
/// auto-property) or marked [NotCacheKey], and is of a keyable type.</item>
/// </list>
/// Computed properties are not keyed: they derive from the fields, which are.
/// </summary>
internal static class KeyCompleteness
{
    /// <summary>The state to key, or why it cannot be keyed completely.</summary>
    internal readonly struct Outcome
    {
        public Outcome(List<(string Name, ITypeSymbol Type)> members, string? reason)
        {
            Members = members;
            Reason = reason;
        }

        /// <summary>The readable members that together hold all the state, by the name generated code reads them with.</summary>
        public List<(string Name, ITypeSymbol Type)> Members { get; }

        public string? Reason { get; }
    }

    private const string Advice = "make it public or internal, or mark it [NotCacheKey] if it never changes a result";

    public static Outcome State(INamedTypeSymbol type, IAssemblySymbol assembly)
    {
        var members = new List<(string Name, ITypeSymbol Type)>();
        if (!SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, assembly))
        {
            return Fail($"it is declared in assembly '{type.ContainingAssembly?.Name}', whose private state the generator cannot see; implement ICacheKeyEncodable on it, or pass the values it holds");
        }

        if (type.TypeKind == TypeKind.Class && !type.IsSealed)
        {
            return Fail("it is not sealed, so the extra state of a derived class would not be keyed; seal it, or implement ICacheKeyEncodable");
        }

        var names = new HashSet<string>(System.StringComparer.Ordinal);
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            if (!SymbolEqualityComparer.Default.Equals(t.ContainingAssembly, assembly))
            {
                return Fail($"it derives from '{t.ToDisplayString()}', whose state the generator cannot see; hold the values in fields or properties instead of deriving, or implement ICacheKeyEncodable");
            }

            foreach (var member in t.GetMembers())
            {
                if (member is IEventSymbol { IsStatic: false, AddMethod.IsImplicitlyDeclared: true } fieldLikeEvent
                    && !TypeFacts.HasAttribute(fieldLikeEvent, TypeFacts.NotCacheKeyAttribute))
                {
                    return Fail($"its event '{fieldLikeEvent.Name}' holds delegates, which have no value to key by; mark it [NotCacheKey] if it never changes a result");
                }

                if (member is not IFieldSymbol { IsStatic: false, IsConst: false } field)
                {
                    continue;
                }

                // Newer compilers show a captured primary-constructor parameter as a field named "<name>P".
                if (field is { IsImplicitlyDeclared: true, AssociatedSymbol: null } && field.Name.StartsWith("<", System.StringComparison.Ordinal))
                {
                    var parameter = field.Name.Substring(1, System.Math.Max(0, field.Name.IndexOf('>') - 1));
                    if (!IsIgnoredParameter(t, parameter))
                    {
                        return Fail(CapturedMessage(parameter));
                    }

                    continue;
                }

                string? reason = null;
                switch (field.AssociatedSymbol)
                {
                    case IPropertySymbol property when TypeFacts.HasAttribute(property, TypeFacts.NotCacheKeyAttribute):
                        continue;
                    case IPropertySymbol property when !IsReadable(property) || property.GetMethod is not { } getter || !IsReadable(getter):
                        reason = $"its property '{property.Name}' holds state that generated code cannot read; {Advice}";
                        break;
                    case IPropertySymbol property when !names.Add(property.Name):
                        reason = $"its property '{property.Name}' in '{t.Name}' is hidden by a member of the same name, so generated code cannot read it; rename one of them";
                        break;
                    case IPropertySymbol property:
                        members.Add((property.Name, property.Type));
                        continue;
                    case IEventSymbol:
                        continue;
                    case null when TypeFacts.HasAttribute(field, TypeFacts.NotCacheKeyAttribute):
                        continue;
                    case null when !IsReadable(field):
                        reason = $"its field '{field.Name}' is {AccessibilityText(field.DeclaredAccessibility)}, so generated code cannot read it; {Advice}";
                        break;
                    case null when !names.Add(field.Name):
                        reason = $"its field '{field.Name}' in '{t.Name}' is hidden by a member of the same name, so generated code cannot read it; rename one of them";
                        break;
                    case null:
                        members.Add((field.Name, field.Type));
                        continue;
                    default:
                        continue;
                }

                return Fail(reason);
            }

            if (CapturedParameter(t) is { } captured)
            {
                return Fail(CapturedMessage(captured));
            }
        }

        return new Outcome(members, null);

        Outcome Fail(string reason) => new(members, reason);
    }

    private static string CapturedMessage(string parameter) =>
        $"its primary-constructor parameter '{parameter}' is captured as hidden state; expose it as a public property, or mark the parameter [NotCacheKey] if it never changes a result";

    private static bool IsIgnoredParameter(INamedTypeSymbol type, string name) =>
        type.InstanceConstructors.SelectMany(c => c.Parameters).Any(p => p.Name == name && TypeFacts.HasAttribute(p, TypeFacts.NotCacheKeyAttribute));

    /// <summary>Whether generated code in the same assembly can read the member: public or internal, as is every containing type.</summary>
    internal static bool IsReadable(ISymbol symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal or Accessibility.NotApplicable))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A primary-constructor parameter that a member body reads: the compiler keeps it in a hidden field
    /// that no symbol shows. A parameter that only initializes a field or property, or that a member of the
    /// same name shadows (a record's positional property), is not captured.
    /// </summary>
    private static string? CapturedParameter(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax { ParameterList: { Parameters.Count: > 0 } parameters } declaration)
            {
                continue;
            }

            var memberNames = new HashSet<string>(type.MemberNames, System.StringComparer.Ordinal);
            var candidates = parameters.Parameters
                .Where(p => !memberNames.Contains(p.Identifier.ValueText) && !HasNotCacheKey(p))
                .Select(p => p.Identifier.ValueText)
                .ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            foreach (var member in declaration.Members)
            {
                foreach (var name in member.DescendantNodes(n => !IsInitializer(n)).OfType<IdentifierNameSyntax>())
                {
                    if (candidates.Contains(name.Identifier.ValueText) && !IsMemberName(name))
                    {
                        return name.Identifier.ValueText;
                    }
                }
            }
        }

        return null;
    }

    private static bool HasNotCacheKey(ParameterSyntax parameter) =>
        parameter.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "NotCacheKey" or "NotCacheKeyAttribute" or "CachedMethods.NotCacheKey" or "global::CachedMethods.NotCacheKey");

    /// <summary>A field or property initializer runs once, in the constructor: a parameter read there is not captured.</summary>
    private static bool IsInitializer(SyntaxNode node) =>
        node is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax or PropertyDeclarationSyntax };

    private static bool IsMemberName(IdentifierNameSyntax name) =>
        name.Parent is MemberAccessExpressionSyntax access && access.Name == name
        || name.Parent is MemberBindingExpressionSyntax
        || name.Parent is NameColonSyntax or NameEqualsSyntax;

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Protected => "protected",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
