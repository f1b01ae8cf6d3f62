using System.Buffers;

namespace CachedMethods;

/// <summary>Turns values into bytes for the tiers below memory, and back.</summary>
/// <remarks>
/// Bytes read back come from Redis, disk or S3, which another process may have written or damaged:
/// an implementation must treat them as untrusted and throw (never hang or allocate without bound)
/// on bytes it cannot read. The engine turns such a throw into a miss and deletes the entry.
/// </remarks>
public interface ICacheSerializer
{
    /// <summary>Writes <paramref name="value"/> into <paramref name="writer"/>.</summary>
    void Serialize<T>(IBufferWriter<byte> writer, T value);

    /// <summary>Reads a value written by <see cref="Serialize{T}"/>.</summary>
    T Deserialize<T>(ReadOnlyMemory<byte> payload);
}
