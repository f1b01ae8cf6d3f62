namespace CachedMethods.Generators.Model;

/// <summary>The kind of an interface member a decorator forwards.</summary>
internal enum MemberKind
{
    Method,
    Property,
    Indexer,
    Event,
}

/// <summary>
/// A member of a generated type: a forwarding member of a decorator, or a cached method. A method
/// with <see cref="Cached"/> set is routed through the cache; any other member calls the inner instance.
/// </summary>
/// <param name="Kind">Method, property, indexer or event.</param>
/// <param name="Name">The member name, escaped when it is a keyword.</param>
/// <param name="Type">Return, property or event type, fully qualified with nullable annotations.</param>
/// <param name="RefPrefix">"ref " or "ref readonly " for a ref return; otherwise empty.</param>
/// <param name="ExplicitInterface">The interface of an explicit implementation, or <see langword="null"/>.</param>
/// <param name="BaseInterface">For a member inherited from a base interface: that interface, which calls go through.</param>
/// <param name="TypeParameters">"&lt;T&gt;" for a generic method; otherwise empty.</param>
/// <param name="Constraints">The where-clauses of a generic method.</param>
/// <param name="Parameters">The parameters.</param>
/// <param name="HasGetter">For a property or indexer.</param>
/// <param name="HasSetter">For a property or indexer.</param>
/// <param name="SetterIsInit">Whether the setter is an init accessor.</param>
/// <param name="Modifiers">For a partial method: its modifiers as written ("public static partial").</param>
/// <param name="ForwardTo">For a partial method: the method that computes the value when it is not cached.</param>
/// <param name="Cached">The cached call, or <see langword="null"/> for a member that forwards.</param>
internal sealed record MemberModel(
    MemberKind Kind,
    string Name,
    string Type,
    string RefPrefix,
    string? ExplicitInterface,
    string? BaseInterface,
    string TypeParameters,
    EquatableArray<string> Constraints,
    EquatableArray<ParameterModel> Parameters,
    bool HasGetter,
    bool HasSetter,
    bool SetterIsInit,
    string Modifiers,
    string? ForwardTo,
    CachedCallModel? Cached);

/// <summary>A parameter as declared.</summary>
/// <param name="Name">The name, escaped with '@' when it is a keyword.</param>
/// <param name="Type">The type, fully qualified with nullable annotations.</param>
/// <param name="Prefix">The modifiers before the type as declared: "this ", "params ", "scoped ref ", "out "...</param>
/// <param name="ArgumentPrefix">The modifier an argument needs: "ref ", "out ", "in " or empty.</param>
internal sealed record ParameterModel(string Name, string Type, string Prefix, string ArgumentPrefix);
