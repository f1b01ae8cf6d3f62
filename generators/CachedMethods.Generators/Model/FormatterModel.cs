namespace CachedMethods.Generators.Model;

/// <summary>How the generated resolver gets the formatter of one type.</summary>
internal enum FormatterKind
{
    /// <summary>A generated formatter for a record, class or struct, member by member.</summary>
    Object,

    /// <summary>A generated formatter for an enum: its underlying integer.</summary>
    Enum,

    /// <summary>A MessagePack (or CachedMethods) formatter class instantiated with closed type arguments.</summary>
    Instance,
}

/// <summary>One type the generated resolver answers for.</summary>
/// <param name="Type">The type, global::-qualified without nullable annotations: the typeof() the resolver compares.</param>
/// <param name="Kind">Generated or instantiated.</param>
/// <param name="Name">The generated formatter's class name; empty for <see cref="FormatterKind.Instance"/>.</param>
/// <param name="Instance">For <see cref="FormatterKind.Instance"/>: the expression that creates it.</param>
/// <param name="EnumUnderlying">For an enum: the MessagePack reader method of its underlying type ("Int32").</param>
/// <param name="Object">For a generated object formatter: how it is written and built.</param>
internal sealed record FormatterModel(
    string Type,
    FormatterKind Kind,
    string Name,
    string? Instance,
    string? EnumUnderlying,
    ObjectFormatModel? Object);

/// <summary>How a record, class or struct is written (an array of its members, by name order) and built.</summary>
/// <param name="IsValueType">A struct: no nil.</param>
/// <param name="CheckExactType">An unsealed class: a derived instance is refused rather than stored as its base.</param>
/// <param name="Members">The stored members, ordered by name.</param>
/// <param name="ConstructorArity">The parameters of the constructor used to build it.</param>
internal sealed record ObjectFormatModel(bool IsValueType, bool CheckExactType, EquatableArray<FormattedMemberModel> Members, int ConstructorArity);

/// <summary>One stored member.</summary>
/// <param name="Name">The member name as C# (escaped).</param>
/// <param name="Type">Its type, global::-qualified with nullable annotations.</param>
/// <param name="ConstructorIndex">The constructor parameter that sets it, or -1.</param>
/// <param name="InInitializer">Whether the object initializer sets it (settable, init or required members).</param>
/// <param name="Primitive">The MessagePack reader method of a primitive written directly ("Int32"), or <see langword="null"/>.</param>
internal sealed record FormattedMemberModel(string Name, string Type, int ConstructorIndex, bool InInitializer, string? Primitive);
