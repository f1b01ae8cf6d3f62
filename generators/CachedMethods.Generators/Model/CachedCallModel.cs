namespace CachedMethods.Generators.Model;

/// <summary>How a cached method returns its result.</summary>
internal enum ReturnKind
{
    /// <summary>T: the synchronous engine path.</summary>
    Sync,

    /// <summary>Task&lt;T&gt;: the asynchronous path, as a Task.</summary>
    Task,

    /// <summary>ValueTask&lt;T&gt;: the asynchronous path.</summary>
    ValueTask,
}

/// <summary>Everything the emitter needs to route one method through the cache.</summary>
/// <param name="ReturnKind">Sync, Task or ValueTask.</param>
/// <param name="ResultType">T, fully qualified with nullable annotations.</param>
/// <param name="ScopeType">The first scope string: the declaring type's full name, or the [Cached] Name.</param>
/// <param name="ScopeMethod">The second scope string: the method name and its parameter types ("Count(System.Int32)"), or empty when Name is set.</param>
/// <param name="Version">[Cached] Version.</param>
/// <param name="ResultShape">The compile-time fingerprint of T's serialized shape.</param>
/// <param name="Options">The settings of the method's static CacheEntryOptions.</param>
/// <param name="OptionsField">The name of the static CacheEntryOptions field of this method.</param>
/// <param name="KeyParts">The key parameters in the order they are written.</param>
/// <param name="CancellationToken">The parameter that receives the engine's token, or <see langword="null"/>.</param>
/// <param name="Target">The method that computes the value: the inner instance's member or the user's Core method.</param>
/// <param name="TargetOwner">What the target is called on.</param>
/// <param name="CacheExpression">The expression that reads the CacheManager: "_cache", or a member of a partial class.</param>
/// <param name="TypeArguments">The method's type parameters, each written into the key with AppendTypeArgument.</param>
/// <param name="SelfType">The generated type, global::-qualified: static members are read through it, so no parameter can shadow them.</param>
/// <param name="Invalidators">The generated invalidation methods; set once every cached method of the type is known.</param>
internal sealed record CachedCallModel(
    ReturnKind ReturnKind,
    string ResultType,
    string ScopeType,
    string ScopeMethod,
    int Version,
    string ResultShape,
    EntryOptionsModel Options,
    string OptionsField,
    EquatableArray<KeyPartModel> KeyParts,
    string? CancellationToken,
    string Target,
    TargetOwner TargetOwner,
    string CacheExpression,
    EquatableArray<string> TypeArguments,
    string SelfType,
    InvalidatorModel? Invalidators = null);

/// <summary>
/// The [Cached] settings written into a method's static CacheEntryOptions. 0, false and an empty list
/// mean "the engine's default" and are not written, so CacheOptions decides.
/// </summary>
/// <param name="TtlSeconds">Ttl in seconds.</param>
/// <param name="Tiers">Tiers as its numeric flags (7 = all).</param>
/// <param name="Tags">Tags, without empty or repeated ones (CM0017).</param>
/// <param name="DistributedSingleFlight">Whether to turn distributed single-flight on for this method.</param>
/// <param name="FailSafeSeconds">FailSafeMaxStaleness in seconds.</param>
/// <param name="SoftTimeoutMs">SoftTimeout in milliseconds.</param>
/// <param name="HardTimeoutMs">HardTimeout in milliseconds.</param>
/// <param name="RefreshAhead">RefreshAheadFraction, in [0, 1).</param>
internal sealed record EntryOptionsModel(
    int TtlSeconds,
    int Tiers,
    EquatableArray<string> Tags,
    bool DistributedSingleFlight,
    int FailSafeSeconds,
    int SoftTimeoutMs,
    int HardTimeoutMs,
    double RefreshAhead);

/// <summary>The strongly typed invalidation methods of one cached method.</summary>
/// <param name="Modifiers">"public" on a decorator; on a partial class, the cached method's accessibility and "static" when it is.</param>
/// <param name="Name">"Invalidate" + the method's name: synchronous (bool) for a synchronous method, asynchronous (ValueTask&lt;bool&gt;) for an asynchronous one.</param>
/// <param name="IsAsync">Whether it is the asynchronous form.</param>
/// <param name="Parameters">The key parameters, in declaration order, with their declared names and types.</param>
/// <param name="TypeParameters">"&lt;T&gt;" for a generic method; otherwise empty.</param>
/// <param name="Constraints">The where-clauses of a generic method.</param>
internal sealed record InvalidatorModel(string Modifiers, string Name, bool IsAsync, EquatableArray<ParameterModel> Parameters, string TypeParameters, EquatableArray<string> Constraints);

/// <summary>What the computing method is called on.</summary>
internal enum TargetOwner
{
    /// <summary>The decorator's inner instance.</summary>
    Inner,

    /// <summary>The partial class instance itself.</summary>
    Self,

    /// <summary>A static method of the partial class.</summary>
    Static,
}

/// <summary>A named value written into a key: a parameter, or a member of a composite key type.</summary>
/// <param name="Name">The name written before the value (unescaped).</param>
/// <param name="Access">The C# expression that reads it (escaped).</param>
/// <param name="Shape">How its value is encoded.</param>
internal sealed record KeyPartModel(string Name, string Access, KeyShape Shape);

/// <summary>How a value is written into a key.</summary>
internal enum KeyShapeKind
{
    /// <summary>A CacheKeyBuilder.Append overload takes it directly.</summary>
    Append,

    /// <summary>An enum: AppendEnum by its underlying value.</summary>
    Enum,

    /// <summary>Nullable&lt;T&gt;: null, or the value's encoding.</summary>
    Nullable,

    /// <summary>A type that implements ICacheKeyEncodable.</summary>
    Encodable,

    /// <summary>An array, list or read-only list: count, then each element by index.</summary>
    IndexedSequence,

    /// <summary>A collection with a count: count, then each element in order.</summary>
    CountedSequence,

    /// <summary>Any IEnumerable&lt;T&gt;: materialized once, then written as a sequence.</summary>
    EnumerableSequence,

    /// <summary>A record, struct or class written member by member by a generated WriteKey overload.</summary>
    Object,

    /// <summary>A Memory&lt;byte&gt;, written by content as read-only memory.</summary>
    MemoryBytes,

    /// <summary>A set: its elements sorted by their encoding (BeginUnordered / NextElement / EndUnordered).</summary>
    UnorderedSet,

    /// <summary>A dictionary: its entries (key, then value) sorted by their encoding.</summary>
    UnorderedPairs,

    /// <summary>A value tuple, a Tuple or a KeyValuePair: BeginTuple, then each item of <see cref="KeyShape.Items"/>.</summary>
    Tuple,

    /// <summary>An ImmutableArray&lt;T&gt;: null when default, else count and elements by index.</summary>
    ImmutableArray,

    /// <summary>A value of a method type parameter constrained to ICacheKeyEncodable.</summary>
    TypeParameterEncodable,
}

/// <summary>The encoding of one type.</summary>
/// <param name="Kind">How it is written.</param>
/// <param name="Type">The type, fully qualified.</param>
/// <param name="Element">The element or underlying type of a sequence or nullable.</param>
/// <param name="CountMember">"Length" or "Count" for a sequence.</param>
/// <param name="IsReferenceType">Whether a null check is needed.</param>
/// <param name="Items">For a tuple: its items, each with the member that reads it (Item1, Key...); for a dictionary: its key and value.</param>
internal sealed record KeyShape(KeyShapeKind Kind, string Type, KeyShape? Element, string? CountMember, bool IsReferenceType, EquatableArray<KeyPartModel> Items = default);

/// <summary>A generated WriteKey overload for a composite key type.</summary>
/// <param name="Type">The type, fully qualified.</param>
/// <param name="TypeName">The name written by BeginObject: the type's full name without global::.</param>
/// <param name="IsValueType">Whether it is a struct (no null check).</param>
/// <param name="Members">Its public members, ordered by name.</param>
internal sealed record ObjectEncoderModel(string Type, string TypeName, bool IsValueType, EquatableArray<KeyPartModel> Members);
