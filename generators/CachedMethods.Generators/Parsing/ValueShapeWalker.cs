using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>What one walk of a stored type found.</summary>
/// <param name="Fingerprint">FNV-1a 64 of the serialized shape: member names and types, enum members and values, recursively.</param>
/// <param name="Problems">Why the type cannot round-trip exactly, one line per member or type; empty when it can.</param>
/// <param name="Formatters">The formatters the generated resolver needs for it; empty when there are problems.</param>
internal sealed record ValueShape(string Fingerprint, IReadOnlyList<string> Problems, EquatableArray<FormatterModel> Formatters);

/// <summary>
/// Walks a stored type once, for three things: its shape fingerprint (part of every key, so a change of shape
/// between deploys is a miss rather than old bytes read into a new type), the formatters to generate, and
/// every reason it would not come back exactly as it was stored (CM0007, CM0040).
/// </summary>
/// <remarks>
/// Records, classes and structs are written as an array of their stored members ordered by name; the
/// fingerprint carries the names, so the order is safe. Members are built back through the constructor whose
/// parameters match them best, then init or set accessors. The hash is FNV-1a 64 over UTF-8: stable across
/// processes, unlike string.GetHashCode.
/// </remarks>
internal sealed class ValueShapeWalker
{
    /// <summary>Changes whenever the bytes the generated formatters write change, so old entries become misses.</summary>
    private const string FormatVersion = "cm-msgpack-1|";

    private readonly IAssemblySymbol _within;
    private readonly Dictionary<string, FormatterModel> _formatters = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoredMember>> _objects = new(System.StringComparer.Ordinal);
    private readonly List<string> _problems = new();
    private readonly HashSet<string> _problemSet = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> _stack = new(System.StringComparer.Ordinal);
    private bool _incomplete;

    private ValueShapeWalker(IAssemblySymbol within) => _within = within;

    /// <summary>Walks <paramref name="root"/>, whose formatters are generated into <paramref name="within"/>.</summary>
    public static ValueShape Walk(ITypeSymbol root, IAssemblySymbol within)
    {
        var walker = new ValueShapeWalker(within);
        var description = new StringBuilder(FormatVersion);
        walker.Describe(root, description, null);
        var formatters = walker._problems.Count == 0 && !walker._incomplete
            ? walker._formatters.Values.OrderBy(f => f.Type, System.StringComparer.Ordinal).ToEquatableArray()
            : EquatableArray<FormatterModel>.Empty;
        return new ValueShape(Fnv1a64(description.ToString()), walker._problems, formatters);
    }

    private void Describe(ITypeSymbol type, StringBuilder output, string? via)
    {
        switch (type)
        {
            case IErrorTypeSymbol or ITypeParameterSymbol:
                // A compile error, or a generic cached method (CM0013 says why): no formatter, and no second diagnostic.
                output.Append('?');
                _incomplete = true;
                return;
            case IDynamicTypeSymbol:
                Problem(via, "'dynamic' is read back as dictionaries and primitives, never as the type that was stored; use a concrete type");
                return;
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                Problem(via, "a pointer cannot be stored");
                return;
            case IArrayTypeSymbol array:
                DescribeArray(array, output, via);
                return;
            case INamedTypeSymbol { IsTupleType: true } tuple:
                DescribeGeneric(tuple.TupleUnderlyingType ?? tuple, output, via);
                return;
        }

        if (type is not INamedTypeSymbol named)
        {
            output.Append(TypeFacts.CanonicalName(type));
            return;
        }

        if (named.SpecialType == SpecialType.System_Object)
        {
            Problem(via, "'object' is read back as dictionaries and primitives, never as the type that was stored; use a concrete type");
        }
        else if (named.TypeKind == TypeKind.Delegate)
        {
            Problem(via, $"'{Name(named)}' is a delegate, which cannot be stored");
        }
        else if (named.IsRefLikeType)
        {
            Problem(via, $"'{Name(named)}' is a ref struct, which cannot be stored");
        }
        else if (named.TypeKind == TypeKind.Enum)
        {
            DescribeEnum(named, output, via);
        }
        else if (KnownFormatters.Exact.Contains(TypeFacts.MetadataName(named)))
        {
            output.Append(TypeFacts.CanonicalName(named));
        }
        else if (KnownFormatters.Generic.ContainsKey(TypeFacts.MetadataName(named)))
        {
            DescribeGeneric(named, output, via);
        }
        else if (TypeFacts.IsFrameworkType(named))
        {
            Problem(via, IsStream(named)
                ? "a stream cannot be stored; store its bytes (byte[]) instead"
                : $"'{Name(named)}' has no formatter known to read it back exactly; store the data it holds (a string, bytes or a record of its parts) instead");
        }
        else if (named.TypeKind == TypeKind.Interface || named.IsAbstract)
        {
            Problem(via, $"'{Name(named)}' is {(named.TypeKind == TypeKind.Interface ? "an interface" : "abstract")}, so the type to create when reading it back is unknown; use a sealed concrete type");
        }
        else if (!Accessible(named))
        {
            Problem(via, $"'{Name(named)}' is not accessible from the generated code in '{_within.Name}'; make it public or internal");
        }
        else
        {
            DescribeObject(named, output);
        }
    }

    private void DescribeArray(IArrayTypeSymbol array, StringBuilder output, string? via)
    {
        Describe(array.ElementType, output, via);
        output.Append('[').Append(',', array.Rank - 1).Append(']');
        if (array.Rank == 1 && array.ElementType.SpecialType == SpecialType.System_Byte)
        {
            return;
        }

        if (array.Rank >= KnownFormatters.ArrayByRank.Length)
        {
            Problem(via, $"'{Name(array)}' has more than {KnownFormatters.ArrayByRank.Length - 1} dimensions");
            return;
        }

        AddInstance(array, KnownFormatters.ArrayByRank[array.Rank] + "<" + Qualified(array.ElementType) + ">");
    }

    private void DescribeGeneric(INamedTypeSymbol type, StringBuilder output, string? via)
    {
        output.Append(TypeFacts.MetadataName(type)).Append('<');
        for (var i = 0; i < type.TypeArguments.Length; i++)
        {
            if (i > 0)
            {
                output.Append(',');
            }

            Describe(type.TypeArguments[i], output, via);
        }

        output.Append('>');
        var (formatter, hashesKey) = KnownFormatters.Generic[TypeFacts.MetadataName(type)];
        if (hashesKey && !KnownFormatters.IsHashableKey(type.TypeArguments[0]))
        {
            Problem(via, $"the key type '{Name(type.TypeArguments[0])}' of '{Name(type)}' cannot be hashed by MessagePack's untrusted-data reader; use a string, an integer, a Guid, a DateTime or an enum of 32 bits or less as the key, or a SortedDictionary");
            return;
        }

        AddInstance(type, formatter + "<" + string.Join(", ", type.TypeArguments.Select(Qualified)) + ">");
    }

    private void DescribeEnum(INamedTypeSymbol type, StringBuilder output, string? via)
    {
        var underlying = type.EnumUnderlyingType!;
        output.Append("enum ").Append(TypeFacts.CanonicalName(type)).Append(':').Append(TypeFacts.CanonicalName(underlying)).Append('{');

        // Names and values: renumbering or renaming a member is a miss, never a different member read back.
        foreach (var member in type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).OrderBy(f => f.Name, System.StringComparer.Ordinal))
        {
            output.Append(member.Name).Append('=').Append(System.Convert.ToString(member.ConstantValue, CultureInfo.InvariantCulture)).Append(';');
        }

        output.Append('}');
        if (!Accessible(type))
        {
            Problem(via, $"'{Name(type)}' is not accessible from the generated code in '{_within.Name}'; make it public or internal");
            return;
        }

        var name = Qualified(type);
        if (!_formatters.ContainsKey(name))
        {
            _formatters[name] = new FormatterModel(name, FormatterKind.Enum, ClassName(type), null, KnownFormatters.Primitives[underlying.SpecialType], null);
        }
    }

    private void DescribeObject(INamedTypeSymbol type, StringBuilder output)
    {
        var name = TypeFacts.CanonicalName(type);
        if (!_stack.Add(name))
        {
            output.Append(name);
            return;
        }

        var members = Analyze(type);
        output.Append(name).Append('{');
        foreach (var member in members)
        {
            output.Append(member.Name).Append(':');
            Describe(member.Type, output, Name(type) + "." + member.Name);
            output.Append(';');
        }

        output.Append('}');
        _stack.Remove(name);
    }

    /// <summary>The stored members of a record, class or struct, ordered by name, and its formatter.</summary>
    private List<StoredMember> Analyze(INamedTypeSymbol type)
    {
        var key = Qualified(type);
        if (_objects.TryGetValue(key, out var known))
        {
            return known;
        }

        var members = StoredMembers(type);
        _objects[key] = members;
        ReportHiddenState(type, members);

        var constructor = ChooseConstructor(type, members, out var binding);
        if (constructor is null)
        {
            Problem(null, $"'{Name(type)}' has no accessible constructor whose parameters all match its stored members by name and type; add one, or make the members settable");
            return members;
        }

        var setsRequired = TypeFacts.HasAttribute(constructor, "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");
        var formatted = new List<FormattedMemberModel>();
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var index = System.Array.IndexOf(binding, i);
            var required = member.Symbol is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true };
            if (index < 0 && WhyNotSettable(member.Symbol) is { } reason)
            {
                Problem(null, $"'{Name(type)}.{member.Name}' {reason} and no constructor parameter sets it, so it would come back empty; add a constructor parameter named '{Camel(member.Name)}', or make it settable with init or set");
            }

            formatted.Add(new FormattedMemberModel(
                TypeFacts.Escape(member.Name),
                TypeFacts.Display(member.Type),
                index,
                index < 0 || (required && !setsRequired),
                KnownFormatters.Primitives.TryGetValue(member.Type.SpecialType, out var primitive) ? primitive : null));
        }

        var isValueType = type.IsValueType;
        _formatters[key] = new FormatterModel(
            key,
            FormatterKind.Object,
            ClassName(type),
            null,
            null,
            new ObjectFormatModel(isValueType, !isValueType && !type.IsSealed, formatted.ToEquatableArray(), constructor.Parameters.Length));
        return members;
    }

    /// <summary>Public instance fields and readable properties, minus ignored and computed ones; nearest declaration wins.</summary>
    private static List<StoredMember> StoredMembers(INamedTypeSymbol type)
    {
        var members = new List<StoredMember>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || !seen.Add(member.Name) || IsIgnored(member))
                {
                    continue;
                }

                switch (member)
                {
                    case IPropertySymbol { IsIndexer: false, GetMethod: not null } property
                        when property.SetMethod is not null || !IsComputed(property):
                        members.Add(new StoredMember(property.Name, property.Type, property));
                        break;
                    case IFieldSymbol { IsConst: false, AssociatedSymbol: null } field:
                        members.Add(new StoredMember(field.Name, field.Type, field));
                        break;
                }
            }
        }

        members.Sort((a, b) => System.StringComparer.Ordinal.Compare(a.Name, b.Name));
        return members;
    }

    /// <summary>Non-public state of a type declared in source would silently not be stored.</summary>
    private void ReportHiddenState(INamedTypeSymbol type, List<StoredMember> stored)
    {
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            if (!t.Locations.Any(l => l.IsInSource))
            {
                continue;
            }

            foreach (var field in t.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsConst || field.AssociatedSymbol is IEventSymbol || IsIgnored(field)
                    || TypeFacts.HasAttribute(field, "System.NonSerializedAttribute"))
                {
                    continue;
                }

                if (field.AssociatedSymbol is IPropertySymbol property)
                {
                    if (property.DeclaredAccessibility != Accessibility.Public && !IsIgnored(property) && !property.IsStatic)
                    {
                        Problem(null, $"'{Name(type)}.{property.Name}' is not public, so it would not be stored; make it public, or mark it [IgnoreMember] if it can be lost");
                    }
                }
                else if (field.DeclaredAccessibility != Accessibility.Public)
                {
                    Problem(null, $"'{Name(type)}.{field.Name}' is a non-public field, so it would not be stored; make it a public property, or mark it [IgnoreMember] if it can be lost");
                }
            }
        }

        _ = stored;
    }

    /// <summary>The accessible constructor that sets the most stored members, each parameter matching one by name and type.</summary>
    private IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<StoredMember> members, out int[] binding)
    {
        IMethodSymbol? best = null;
        binding = System.Array.Empty<int>();
        foreach (var constructor in type.InstanceConstructors)
        {
            if (!Accessible(constructor)
                || (constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type)))
            {
                continue;
            }

            var candidate = new int[constructor.Parameters.Length];
            var matches = true;
            for (var p = 0; p < candidate.Length && matches; p++)
            {
                var parameter = constructor.Parameters[p];
                candidate[p] = members.FindIndex(m =>
                    string.Equals(m.Name, parameter.Name, System.StringComparison.OrdinalIgnoreCase)
                    && SymbolEqualityComparer.Default.Equals(m.Type, parameter.Type));
                matches = parameter.RefKind == RefKind.None && candidate[p] >= 0 && System.Array.IndexOf(candidate, candidate[p], 0, p) < 0;
            }

            if (matches && (best is null || constructor.Parameters.Length > best.Parameters.Length))
            {
                best = constructor;
                binding = candidate;
            }
        }

        return best;
    }

    private string? WhyNotSettable(ISymbol member) => member switch
    {
        IPropertySymbol { SetMethod: null } => "is get-only",
        IPropertySymbol { SetMethod: { } setter } when !Accessible(setter) => "has a non-public setter",
        IFieldSymbol { IsReadOnly: true } => "is a readonly field",
        _ => null,
    };

    /// <summary>A get-only property with no backing field computes its value from other state: not stored.</summary>
    private static bool IsComputed(IPropertySymbol property)
    {
        if (property.Locations.Any(l => l.IsInSource))
        {
            return !property.ContainingType.GetMembers().OfType<IFieldSymbol>()
                .Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
        }

        // From metadata, only an auto-property's getter carries [CompilerGenerated].
        return !TypeFacts.HasAttribute(property.GetMethod!, "System.Runtime.CompilerServices.CompilerGeneratedAttribute");
    }

    private static bool IsIgnored(ISymbol member) =>
        TypeFacts.HasAttribute(member, "MessagePack.IgnoreMemberAttribute")
        || TypeFacts.HasAttribute(member, "System.Runtime.Serialization.IgnoreDataMemberAttribute");

    private static bool IsStream(INamedTypeSymbol type)
    {
        for (var t = (ITypeSymbol?)type; t is not null; t = t.BaseType)
        {
            if (TypeFacts.Is(t, "System.IO.Stream"))
            {
                return true;
            }
        }

        return false;
    }

    private bool Accessible(ISymbol symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            switch (s.DeclaredAccessibility)
            {
                case Accessibility.Public:
                    break;
                case Accessibility.Internal or Accessibility.ProtectedOrInternal
                    when SymbolEqualityComparer.Default.Equals(s.ContainingAssembly, _within) || s.ContainingAssembly.GivesAccessTo(_within):
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private void AddInstance(ITypeSymbol type, string instance)
    {
        var name = Qualified(type);
        if (!_formatters.ContainsKey(name))
        {
            _formatters[name] = new FormatterModel(name, FormatterKind.Instance, string.Empty, "new " + instance + "()", null, null);
        }
    }

    private void Problem(string? via, string reason)
    {
        var line = via is null ? reason : $"{reason} (the type of '{via}')";
        if (_problemSet.Add(line))
        {
            _problems.Add(line);
        }
    }

    private static string ClassName(INamedTypeSymbol type)
    {
        var name = new StringBuilder();
        foreach (var c in TypeFacts.CanonicalName(type))
        {
            name.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return name.Append("Formatter").ToString();
    }

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string Qualified(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFacts.Qualified);

    private static string Name(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();

    internal static string Fnv1a64(string text)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private sealed record StoredMember(string Name, ITypeSymbol Type, ISymbol Symbol);
}
