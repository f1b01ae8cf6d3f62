namespace CachedMethods;

/// <summary>
/// Caches the method's result. The CachedMethods generator writes the wrapper at compile time: a key
/// built from every key parameter, and a call routed through <see cref="CacheManager"/>.
/// </summary>
/// <remarks>
/// Put it on an interface method (the generator writes a decorator) or on a <see langword="partial"/>
/// method of a <see langword="partial"/> class (the generator writes its body). The generator reports a
/// compile-time error for any parameter it cannot key deterministically. See docs/architecture.md.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CachedAttribute : Attribute
{
    /// <summary>Time to live in seconds; 0 means the engine's default. Negative is a compile-time error.</summary>
    public int Ttl { get; set; }

    /// <summary>
    /// The parameters that form the key, usually written with <see langword="nameof"/>. When omitted,
    /// every keyable parameter is in the key; when given, every other parameter must be [NotCacheKey].
    /// </summary>
    public string[]? KeyParams { get; set; }

    /// <summary>Bump it to invalidate every entry written by earlier versions of the method.</summary>
    public int Version { get; set; }

    /// <summary>The tiers this method's entries live in. Defaults to all enabled tiers.</summary>
    public CacheTiers Tiers { get; set; } = CacheTiers.All;

    /// <summary>
    /// A stable name for the key scope, used instead of the declaring type and method name, so that a
    /// rename or a move keeps existing entries. Two methods must never share one name.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Tags written with every entry of this method, for <see cref="CacheManager.InvalidateTagAsync"/>:
    /// invalidating one invalidates every entry carrying it, in every tier and process.
    /// </summary>
    public string[]? Tags { get; set; }

    /// <summary>
    /// One computation per key across the fleet: the process that takes the key's Redis lock runs the
    /// method and the others wait for its result. <see langword="false"/> defers to
    /// <see cref="CacheOptions.DistributedSingleFlight"/>.
    /// </summary>
    public bool DistributedSingleFlight { get; set; }

    /// <summary>
    /// Fail-safe window in seconds: when the method throws or exceeds <see cref="SoftTimeoutMs"/>, a value
    /// expired less than this long ago is returned instead. 0 defers to <see cref="CacheOptions.FailSafeMaxStalenessSeconds"/>.
    /// </summary>
    public int FailSafeSeconds { get; set; }

    /// <summary>With a stale value at hand, how long to wait for the method before returning it. 0 defers to the engine.</summary>
    public int SoftTimeoutMs { get; set; }

    /// <summary>The longest a caller waits for the method, whatever happens. 0 defers to the engine.</summary>
    public int HardTimeoutMs { get; set; }

    /// <summary>
    /// Refresh-ahead: once an entry has lived this fraction of its TTL, a hit returns it and refreshes it in
    /// the background. 0 defers to <see cref="CacheOptions.RefreshAheadFraction"/>.
    /// </summary>
    public double RefreshAhead { get; set; }

    /// <summary>
    /// <see langword="true"/>: the partial method's <c>Core</c> may read instance or static state that is not
    /// in the key (CM0023 is not reported), because that state is the same for every instance that shares
    /// the cache. Prefer <see cref="CacheKeyAttribute"/> on the member, or <see cref="NotCacheKeyAttribute"/>
    /// on one that never changes results.
    /// </summary>
    public bool AllowUnkeyedState { get; set; }

    /// <summary>
    /// <see langword="true"/>: the result type may be mutable (CM0025 is not reported). A memory hit returns
    /// the same instance to every caller, so a caller that changes it changes what every later hit sees.
    /// </summary>
    public bool AllowMutableResult { get; set; }
}

/// <summary>
/// Marks what does not change a cached result, so it stays out of the key: a parameter of a cached method
/// (a logger, a progress reporter); a field, property or primary-constructor parameter of a type used as a
/// key (a cached hash, a lazily built index); or a member of a partial class that its <c>Core</c> methods
/// read (an injected service whose answers never differ between instances).
/// </summary>
/// <remarks><see cref="CancellationToken"/> parameters are excluded from keys without it. See docs/generator.md, "Key rules".</remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Event, AllowMultiple = false, Inherited = false)]
public sealed class NotCacheKeyAttribute : Attribute;

/// <summary>
/// Puts a member of a partial class into the key of every cached method of that class: a field, a property
/// or a primary-constructor parameter that the <c>Core</c> methods read and that can differ between
/// instances (a language, a tenant, a configuration value). The member's type must be keyable.
/// </summary>
/// <example>
/// <code>
/// public sealed partial class Translator([CacheKey] string language, CacheManager cache)
/// {
///     [Cached] public partial string Translate(string text);
///     private string TranslateCore(string text) => Dictionary.Lookup(language, text);
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class CacheKeyAttribute : Attribute;
