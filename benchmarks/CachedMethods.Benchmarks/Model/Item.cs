using System.ComponentModel;

namespace CachedMethods.Benchmarks.Model;

/// <summary>
/// The value every memory-hit contender returns. Sealed and marked immutable, so HybridCache may hand
/// out the cached instance (as the engine always does) instead of deserializing a copy on each hit.
/// </summary>
[ImmutableObject(true)]
public sealed record Item(int Id, string Name);

/// <summary>
/// The same shape as <see cref="Item"/>, but mutable: HybridCache must then deserialize a fresh copy on
/// every hit, which is what issue 4 asks to show beside the immutable case.
/// </summary>
public sealed class MutableItem
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>A record argument for the key-shape group: the same three parts as the composite key.</summary>
public sealed record ItemQuery(int Id, string Name, Guid Tenant);

/// <summary>The value of the Redis and disk groups: an OCR-like text result of a chosen serialized size.</summary>
public sealed record Document(int Id, string Text);
