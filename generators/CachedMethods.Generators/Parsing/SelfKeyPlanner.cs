using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CachedMethods.Generators.Diagnostics;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// The state of a partial class that goes into the key of each of its cached methods: its members marked
/// [CacheKey] (fields, properties, primary-constructor parameters), or the whole instance when the class
/// implements ICacheKeyEncodable. An instance's state is written only into the keys of instance methods.
/// </summary>
internal sealed class SelfKeyPlanner
{
    private readonly List<(KeyPartModel Part, bool IsStatic)> _parts = new();

    private SelfKeyPlanner()
    {
    }

    /// <summary>Why a [CacheKey] member cannot be keyed (CM0024), each at the member.</summary>
    public List<Diagnostic> Diagnostics { get; } = new();

    public bool HasErrors => Diagnostics.Count > 0;

    /// <summary>The parts written into the key of a static or an instance method.</summary>
    public IReadOnlyList<KeyPartModel> For(bool isStatic) => _parts.Where(p => p.IsStatic || !isStatic).Select(p => p.Part).ToList();

    public static SelfKeyPlanner Plan(INamedTypeSymbol type, Dictionary<string, ObjectEncoderModel> encoders, CancellationToken cancellationToken)
    {
        var plan = new SelfKeyPlanner();
        var planner = new KeyShapePlanner(encoders, type.ContainingAssembly);
        if (TypeFacts.Implements(type, TypeFacts.CacheKeyEncodable))
        {
            plan._parts.Add((new KeyPartModel("this", "this", new KeyShape(KeyShapeKind.Encodable, TypeFacts.Display(type), null, null, false)), false));
        }

        var memberNames = new HashSet<string>(type.MemberNames, System.StringComparer.Ordinal);
        foreach (var member in type.GetMembers().OrderBy(m => m.Name, System.StringComparer.Ordinal))
        {
            ITypeSymbol? memberType = member switch
            {
                IFieldSymbol { IsImplicitlyDeclared: false } field => field.Type,
                IPropertySymbol { IsIndexer: false } property => property.Type,
                _ => null,
            };
            if (memberType is null || !TypeFacts.HasAttribute(member, TypeFacts.CacheKeyAttribute))
            {
                continue;
            }

            if (member is IPropertySymbol { GetMethod: null })
            {
                plan.Report(member, type, "it has no getter");
                continue;
            }

            var access = member.IsStatic ? type.ToDisplayString(TypeFacts.Qualified) + "." + TypeFacts.Escape(member.Name) : "this." + TypeFacts.Escape(member.Name);
            plan.Add(planner, member, type, memberType, (member.IsStatic ? "static." : "this.") + member.Name, access, member.IsStatic);
        }

        // A primary-constructor parameter is in scope in every part of the class, so generated code reads it by name.
        foreach (var constructor in type.InstanceConstructors)
        {
            if (!constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax))
            {
                continue;
            }

            foreach (var parameter in constructor.Parameters.Where(p => TypeFacts.HasAttribute(p, TypeFacts.CacheKeyAttribute)))
            {
                var access = memberNames.Contains(parameter.Name) ? "this." + TypeFacts.Escape(parameter.Name) : TypeFacts.Escape(parameter.Name);
                if (memberNames.Contains(parameter.Name) && plan._parts.Any(p => p.Part.Name == "this." + parameter.Name))
                {
                    continue;
                }

                plan.Add(planner, parameter, type, parameter.Type, "this." + parameter.Name, access, isStatic: false);
            }
        }

        return plan;
    }

    private void Add(KeyShapePlanner planner, ISymbol member, INamedTypeSymbol type, ITypeSymbol memberType, string name, string access, bool isStatic)
    {
        var planned = planner.Plan(memberType);
        if (planned.Shape is { } shape)
        {
            _parts.Add((new KeyPartModel(name, access, shape), isStatic));
        }
        else if (planned.Reason is { } reason)
        {
            Report(member, type, $"its type '{memberType.ToDisplayString()}' cannot be keyed: {reason}");
        }
    }

    private void Report(ISymbol member, INamedTypeSymbol type, string reason) =>
        Diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CacheKeyMemberNotKeyable, member.Locations.FirstOrDefault(), member.Name, type.Name, reason));
}
