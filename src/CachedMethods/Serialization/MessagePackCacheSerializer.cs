using System.Buffers;
using MessagePack;
using MessagePack.Resolvers;

namespace CachedMethods;

/// <summary>
/// The default serializer: MessagePack 2.5 with LZ4 block compression above a size threshold and
/// <see cref="MessagePackSecurity.UntrustedData"/> for every read.
/// </summary>
/// <remarks>
/// Types marked <c>[MessagePackObject]</c> use their attributes; other public types are serialized by
/// member name (the contractless resolver), so records work without annotations.
/// </remarks>
public sealed class MessagePackCacheSerializer : ICacheSerializer
{
    private readonly MessagePackSerializerOptions _options;

    /// <summary>Creates the serializer; payloads over <paramref name="compressionThresholdBytes"/> are compressed.</summary>
    public MessagePackCacheSerializer(int compressionThresholdBytes = 1024)
    {
        _options = MessagePackSerializerOptions.Standard
            .WithResolver(ContractlessStandardResolver.Instance)
            .WithSecurity(MessagePackSecurity.UntrustedData)
            .WithCompression(MessagePackCompression.Lz4BlockArray)
            .WithCompressionMinLength(Math.Max(64, compressionThresholdBytes));
    }

    /// <summary>A shared instance with the default threshold.</summary>
    public static MessagePackCacheSerializer Default { get; } = new();

    /// <inheritdoc/>
    public void Serialize<T>(IBufferWriter<byte> writer, T value) => MessagePackSerializer.Serialize(writer, value, _options);

    /// <inheritdoc/>
    public T Deserialize<T>(ReadOnlyMemory<byte> payload) => MessagePackSerializer.Deserialize<T>(payload, _options);
}
