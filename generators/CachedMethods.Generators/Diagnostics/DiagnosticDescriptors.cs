using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Diagnostics;

/// <summary>
/// Every diagnostic of the CachedMethods generator. Each message names the parameter, type or member
/// and says what to do; each id has a page under docs/diagnostics and a line in AnalyzerReleases.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "CachedMethods";

    public static readonly DiagnosticDescriptor KeyParamsNameNotFound = Create(
        "CM0001",
        "KeyParams names a parameter that does not exist",
        "'{0}' in KeyParams is not a parameter of '{1}'; write nameof(...) of one of its parameters",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor KeyParamsDuplicate = Create(
        "CM0002",
        "KeyParams lists a parameter twice",
        "'{0}' is listed more than once in KeyParams of '{1}'; remove the duplicate",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ParameterNotInKey = Create(
        "CM0003",
        "A parameter is neither in KeyParams nor [NotCacheKey]",
        "'{0}' may change the result but is not part of the cache key; add it to KeyParams or mark it [NotCacheKey]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ParameterNotKeyable = Create(
        "CM0004",
        "A key parameter has no deterministic encoding",
        "Parameter '{0}' of type '{1}' cannot be part of the cache key: {2}; mark it [NotCacheKey], pass a keyable type, or implement CachedMethods.ICacheKeyEncodable",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(
        "CM0005",
        "The return type of a cached method is not supported",
        "'{0}' returns '{1}', which cannot be cached: {2}; return T, Task<T> or ValueTask<T>",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedParameter = Create(
        "CM0006",
        "A parameter of a cached method is not supported",
        "Parameter '{0}' of '{1}' is {2}, which a cached method cannot take; pass it by value",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ResultNotSerializable = Create(
        "CM0007",
        "The result type cannot be stored exactly",
        "The result type '{0}' of '{1}' cannot be stored exactly: {2}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NegativeTtl = Create(
        "CM0008",
        "Ttl is negative",
        "Ttl of '{0}' is {1} seconds; give a positive number of seconds, or 0 for the engine's default",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor TypeNotPartial = Create(
        "CM0009",
        "A type with a cached partial method is not partial",
        "'{0}' holds the cached partial method '{1}' but is not partial; add the 'partial' modifier to '{0}'",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NoCachingSurface = Create(
        "CM0010",
        "A cached method is neither on an interface nor partial",
        "'{0}' is [Cached] but is neither an interface method, an implementation of one, nor a partial method; declare it 'partial' without a body and move its body to '{1}'",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MissingCacheManager = Create(
        "CM0011",
        "A partial class with cached methods has no CacheManager",
        "'{0}' needs a CachedMethods.CacheManager to cache '{1}'; add a field, a property or a primary-constructor parameter of that type{2}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MissingCoreMethod = Create(
        "CM0012",
        "A cached partial method has no uncached body",
        "The cached partial method '{0}' computes its value by calling '{1}', which does not exist with the same parameters and return type; write the uncached body as '{1}'",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor GenericNotSupported = Create(
        "CM0013",
        "A cached method's type is generic",
        "'{0}' is a method of a generic type; [Cached] caches generic methods (each type argument is part of the key) but not the methods of generic types; move it to a non-generic type",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor KeyParamMarkedNotCacheKey = Create(
        "CM0014",
        "A parameter is both in KeyParams and [NotCacheKey]",
        "'{0}' is listed in KeyParams and marked [NotCacheKey]; it stays in the key, so remove one of the two",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NegativeDuration = Create(
        "CM0015",
        "A fail-safe or timeout setting is negative",
        "{0} of '{1}' is {2}; give a positive number of {3}, or 0 for the engine's default",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RefreshAheadOutOfRange = Create(
        "CM0016",
        "RefreshAhead is outside [0, 1)",
        "RefreshAhead of '{0}' is {1}; give the fraction of the TTL after which a hit refreshes the entry, greater than 0 and less than 1 (0.8 = after 80%), or 0 for the engine's default",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InvalidTag = Create(
        "CM0017",
        "A tag is empty or listed twice",
        "Tags of '{0}' {1}; the generator leaves it out of the entry options, so remove it",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor SoftTimeoutWithoutFailSafe = Create(
        "CM0018",
        "SoftTimeoutMs is set without FailSafeSeconds",
        "SoftTimeoutMs of '{0}' is set but FailSafeSeconds is not; a soft timeout applies only when a stale value can be served, so it does nothing unless CacheOptions.FailSafeMaxStalenessSeconds turns fail-safe on for every entry; set FailSafeSeconds to rely on it",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor InvalidatorNameTaken = Create(
        "CM0019",
        "The name of a generated invalidation method is taken",
        "'{0}' is not generated for '{1}', because '{2}' already has a member named '{0}'; rename that member to get the strongly typed invalidation method",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor InvalidatorSignatureCollision = Create(
        "CM0020",
        "Two cached methods would get the same invalidation methods",
        "'{0}' and '{1}' would both get '{2}' with the same key parameters in '{3}', so neither gets one; rename one of the methods or change its key",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DuplicateName = Create(
        "CM0021",
        "Two cached methods share a Name",
        "Name \"{0}\" of '{1}' is also the Name of '{2}'; the two methods would read each other's entries, so give each its own Name",
        DiagnosticSeverity.Error,
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor CachedHasNoEffect = Create(
        "CM0022",
        "[Cached] does nothing here",
        "[Cached] on '{0}' does nothing: {1}; put it on an interface method, a class method that implements one, or a partial method",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor CoreReadsUnkeyedState = Create(
        "CM0023",
        "A cached method's Core reads state that is not in the key",
        "'{0}' reads {1} '{2}', which is not in the cache key of '{3}', so calls that differ only in it share one entry; mark it [CacheKey] to key it, [NotCacheKey] if it never changes a result, or set AllowUnkeyedState = true on [Cached]",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor CacheKeyMemberNotKeyable = Create(
        "CM0024",
        "A [CacheKey] member cannot be part of the key",
        "'{0}' of '{1}' is marked [CacheKey] but cannot be part of the cache key: {2}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MutableResult = Create(
        "CM0025",
        "The result type of a cached method is mutable",
        "The result type '{0}' of '{1}' is mutable: {2}; a memory hit returns the same instance to every caller, so one caller's change is seen by all. Return an immutable type (init-only properties, IReadOnlyList<T>, ImmutableArray<T>), or set AllowMutableResult = true to accept sharing",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor SerializableTypeNotStorable = Create(
        "CM0040",
        "A [CacheSerializable] type cannot be stored exactly",
        "'{0}' in [CacheSerializable] cannot be stored exactly: {1}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NoFormatterForEngineCall = Create(
        "CM0041",
        "A value passed to the cache has no generated formatter",
        "'{0}' has no generated MessagePack formatter, so {1} cannot store it below memory; add [assembly: CacheSerializable(typeof({0}))]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor[] All =
    [
        KeyParamsNameNotFound, KeyParamsDuplicate, ParameterNotInKey, ParameterNotKeyable, UnsupportedReturnType,
        UnsupportedParameter, ResultNotSerializable, NegativeTtl, TypeNotPartial, NoCachingSurface,
        MissingCacheManager, MissingCoreMethod, GenericNotSupported, KeyParamMarkedNotCacheKey, NegativeDuration,
        RefreshAheadOutOfRange, InvalidTag, SoftTimeoutWithoutFailSafe, InvalidatorNameTaken, InvalidatorSignatureCollision,
        DuplicateName, CachedHasNoEffect, CoreReadsUnkeyedState, CacheKeyMemberNotKeyable, MutableResult,
        SerializableTypeNotStorable, NoFormatterForEngineCall,
    ];

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, params string[] tags) =>
        new(
            id,
            title,
            message,
            Category,
            severity,
            isEnabledByDefault: true,
            helpLinkUri: $"https://github.com/cachedmethods/cachedmethods/blob/main/docs/diagnostics/{id}.md",
            customTags: tags);
}
