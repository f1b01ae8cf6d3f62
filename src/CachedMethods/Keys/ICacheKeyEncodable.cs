namespace CachedMethods;

/// <summary>
/// Implemented by a type that writes its own cache-key encoding. The generator accepts parameters of
/// such types; write every member that can change the result, in a fixed order.
/// </summary>
/// <example>
/// <code>
/// public sealed class PageRange : ICacheKeyEncodable
/// {
///     public int First { get; init; }
///     public int Last { get; init; }
///     public void WriteCacheKey(ref CacheKeyBuilder key)
///     {
///         key.BeginObject("PageRange");
///         key.Append(First);
///         key.Append(Last);
///     }
/// }
/// </code>
/// </example>
public interface ICacheKeyEncodable
{
    /// <summary>Writes this value's canonical key encoding.</summary>
    void WriteCacheKey(ref CacheKeyBuilder key);
}
