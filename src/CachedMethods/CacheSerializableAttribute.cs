namespace CachedMethods;

/// <summary>
/// Asks the CachedMethods generator for MessagePack formatters of <see cref="Type"/> and every type reachable
/// from it, for values passed to <see cref="CacheManager"/> directly (<c>GetOrCreateAsync</c>, <c>SetAsync</c>,
/// <c>GetAsync</c> and their synchronous forms) rather than returned by a <see cref="CachedAttribute"/> method.
/// </summary>
/// <remarks>
/// Put it on the assembly (<c>[assembly: CacheSerializable(typeof(Quote))]</c>) or on any class of the
/// assembly, as often as needed; the class itself is only a place to hang the attribute. Results of
/// [Cached] methods need no attribute. A type that cannot round-trip exactly is a compile-time error
/// (CM0040), and a direct call with a type that has no formatter is a warning (CM0041). See docs/serialization.md.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class CacheSerializableAttribute(Type type) : Attribute
{
    /// <summary>The type to generate formatters for.</summary>
    public Type Type { get; } = type;
}
