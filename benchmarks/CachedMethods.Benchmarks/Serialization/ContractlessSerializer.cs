using System.Buffers;
using MessagePack;
using MessagePack.Resolvers;

namespace CachedMethods.Benchmarks.Serialization;

/// <summary>
/// The contender of the serialization group and the first-read harness: MessagePack's contractless resolver with
/// the engine's settings (untrusted-data reads, LZ4 above the threshold). It is what
/// <see cref="MessagePackCacheSerializer.WithDynamicResolver"/> falls back to for a type the generator has not
/// seen, and what the engine used for every type before it had generated formatters.
/// </summary>
public sealed class ContractlessSerializer(int compressionThresholdBytes = 1024) : ICacheSerializer
{
    private readonly MessagePackSerializerOptions _options = ContractlessStandardResolver.Options
        .WithSecurity(MessagePackSecurity.UntrustedData)
        .WithCompression(MessagePackCompression.Lz4BlockArray)
        .WithCompressionMinLength(Math.Max(64, compressionThresholdBytes));

    /// <inheritdoc/>
    public void Serialize<T>(IBufferWriter<byte> writer, T value) => MessagePackSerializer.Serialize(writer, value, _options);

    /// <inheritdoc/>
    public T Deserialize<T>(ReadOnlyMemory<byte> payload) => MessagePackSerializer.Deserialize<T>(payload, _options);
}
