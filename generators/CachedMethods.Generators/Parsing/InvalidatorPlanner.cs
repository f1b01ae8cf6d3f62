using System.Collections.Generic;
using System.Linq;
using CachedMethods.Generators.Diagnostics;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Names the invalidation method of each cached method of one generated type ("Invalidate" + the method's
/// name, so <c>Foo</c> and <c>FooAsync</c> never collide), and leaves out any whose name the type already
/// uses (CM0019) or that two overloads with the same key types would both get (CM0020). Leaving them out,
/// rather than renaming them, keeps every generated name predictable from the method's name.
/// </summary>
internal static class InvalidatorPlanner
{
    private const string GeneratedCodeAttribute = "System.CodeDom.Compiler.GeneratedCodeAttribute";
    private const string GeneratorName = "CachedMethods.Generators";

    /// <summary>A cached method of the type.</summary>
    /// <param name="Attributed">The method that carries [Cached]; diagnostics point at it.</param>
    /// <param name="Signature">The method whose parameter names and types the generated code uses.</param>
    /// <param name="Call">Its parsed call, with the key parts.</param>
    /// <param name="Modifiers">The invalidation methods' modifiers.</param>
    /// <param name="Constraints">The where-clauses of a generic method, repeated on its invalidation method.</param>
    internal sealed record Candidate(IMethodSymbol Attributed, IMethodSymbol Signature, CachedCallModel Call, string Modifiers, EquatableArray<string> Constraints);

    /// <summary>What one candidate gets, and why a name was left out. Never leaves the parser: it holds symbols.</summary>
    internal sealed record Plan(IMethodSymbol Attributed, InvalidatorModel? Model, IReadOnlyList<Diagnostic> Diagnostics);

    /// <summary>"Recognize" → "InvalidateRecognize", "RecognizeAsync" → "InvalidateRecognizeAsync".</summary>
    public static string InvalidatorName(string methodName) => "Invalidate" + methodName;

    /// <summary>
    /// Plans every cached method of one generated type: <paramref name="candidates"/> are the methods the
    /// generator caches, <paramref name="takenNames"/> the names the type has without the invalidation
    /// methods, and <paramref name="typeName"/> the type's name, for messages.
    /// </summary>
    public static List<Plan> PlanAll(IReadOnlyList<Candidate> candidates, ISet<string> takenNames, string typeName)
    {
        var keys = candidates.Select(KeyParameters).ToList();

        // Two methods collide exactly when their names, arities and key parameter types are the same.
        // Nullable reference annotations do not make overloads.
        var signatures = candidates
            .Select((c, i) => InvalidatorName(c.Attributed.Name) + "`" + c.Attributed.Arity + "(" + string.Join(",", keys[i].Select(p => p.Type.ToDisplayString(TypeFacts.Qualified))) + ")")
            .ToList();

        var plans = new List<Plan>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var diagnostics = new List<Diagnostic>();
            var location = candidate.Attributed.Locations.FirstOrDefault();
            var name = InvalidatorName(candidate.Attributed.Name);
            var generated = true;
            var other = Enumerable.Range(0, candidates.Count).Where(j => j != i && signatures[j] == signatures[i]).Select(j => candidates[j]).FirstOrDefault();
            if (other is not null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidatorSignatureCollision, location, Display(candidate.Attributed), Display(other.Attributed), name, typeName));
                generated = false;
            }
            else if (takenNames.Contains(name))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidatorNameTaken, location, name, Display(candidate.Attributed), typeName));
                generated = false;
            }

            var parameters = keys[i].Select(p => new ParameterModel(TypeFacts.Escape(p.Name), TypeFacts.Display(p.Type), string.Empty, string.Empty));
            var model = generated
                ? new InvalidatorModel(
                    candidate.Modifiers,
                    name,
                    candidate.Call.ReturnKind != ReturnKind.Sync,
                    parameters.ToEquatableArray(),
                    TargetParser.TypeParameterList(candidate.Signature),
                    candidate.Constraints)
                : null;
            plans.Add(new Plan(candidate.Attributed, model, diagnostics));
        }

        return plans;
    }

    /// <summary>
    /// The names of the members of <paramref name="types"/> and their base types (a base's private members
    /// aside): a generated member with one of these names would clash with or hide it. The generator's own
    /// invalidation methods are not counted: the analyzer sees them in its compilation, the generator does not.
    /// </summary>
    public static HashSet<string> TakenNames(IEnumerable<INamedTypeSymbol?> types)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var type in types)
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                foreach (var member in t.GetMembers())
                {
                    if ((SymbolEqualityComparer.Default.Equals(t, type) || member.DeclaredAccessibility != Accessibility.Private) && !IsGeneratedInvalidator(member))
                    {
                        names.Add(member.Name);
                    }
                }
            }
        }

        return names;
    }

    /// <summary>The key parameters of the signature method: those the key parts read, in declaration order.</summary>
    private static List<IParameterSymbol> KeyParameters(Candidate candidate) =>
        candidate.Signature.Parameters.Where(p => candidate.Call.KeyParts.Any(k => k.Access == TypeFacts.Escape(p.Name) && k.Name == p.Name)).ToList();

    /// <summary>
    /// A method this generator wrote that is not the implementation of a user's partial method: only
    /// invalidation methods carry the generator's [GeneratedCode] without being partial.
    /// </summary>
    private static bool IsGeneratedInvalidator(ISymbol member) =>
        member is IMethodSymbol { PartialDefinitionPart: null, PartialImplementationPart: null } method
        && method.GetAttributes().Any(a => TypeFacts.Is(a.AttributeClass, GeneratedCodeAttribute)
            && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == GeneratorName);

    private static string Display(IMethodSymbol method) => method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
}
