namespace CachedMethods.Generators.Model;

/// <summary>How the generator completes a type that has [Cached] members.</summary>
internal enum TargetKind
{
    /// <summary>A decorator class implementing an interface whose methods carry [Cached].</summary>
    InterfaceDecorator,

    /// <summary>A decorator class implementing an interface whose implementing class methods carry [Cached].</summary>
    ImplementationDecorator,

    /// <summary>The generated half of a user's partial class: bodies for its [Cached] partial methods.</summary>
    PartialClass,
}

/// <summary>One generated file: a decorator or the generated part of a partial class.</summary>
/// <param name="Kind">The surface.</param>
/// <param name="HintName">The file name of the generated source, unique in the compilation.</param>
/// <param name="Namespace">The namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="Accessibility">The accessibility of a generated decorator: "public" or "internal".</param>
/// <param name="TypeName">The decorator's name, or the partial class's name (with its type-parameter list).</param>
/// <param name="TypeKeyword">For a partial class: "class" or "record".</param>
/// <param name="ContainingTypes">For a partial class: its enclosing partial types, outermost first.</param>
/// <param name="InterfaceType">For a decorator: the fully-qualified interface it implements and wraps.</param>
/// <param name="ImplementationType">For a decorator built from a class's [Cached] methods: that class, fully qualified.</param>
/// <param name="Members">Every member to write.</param>
/// <param name="ObjectEncoders">Key writers for the composite types used as key parameters.</param>
/// <param name="Formatters">
/// The formatters the stored types of its cached methods need, found by the same walk that fingerprints
/// them; the pipeline merges those of every file into the one resolver.
/// </param>
internal sealed record TargetModel(
    TargetKind Kind,
    string HintName,
    string? Namespace,
    string Accessibility,
    string TypeName,
    string TypeKeyword,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string? InterfaceType,
    string? ImplementationType,
    EquatableArray<MemberModel> Members,
    EquatableArray<ObjectEncoderModel> ObjectEncoders,
    EquatableArray<FormatterModel> Formatters);

/// <summary>An enclosing type of a nested partial class.</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="Name">Its name with its type-parameter list.</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>A decorator registered by the generated DI extension.</summary>
/// <param name="InterfaceType">The fully-qualified service interface.</param>
/// <param name="DecoratorType">The fully-qualified decorator.</param>
/// <param name="ImplementationType">
/// For a decorator built from a class's [Cached] methods: only registrations of that class are wrapped.
/// </param>
internal sealed record DecoratorRegistration(string InterfaceType, string DecoratorType, string? ImplementationType);

/// <summary>The generated DI extension of one compilation.</summary>
/// <param name="Decorators">Every decorator, sorted by interface name.</param>
internal sealed record RegistrationModel(EquatableArray<DecoratorRegistration> Decorators);
