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
    /// <summary>The default bound on a payload's uncompressed size when read back: 64 MiB.</summary>
    public const int DefaultMaxDecompressedBytes = 64 * 1024 * 1024;

    private readonly MessagePackSerializerOptions _options;
    private readonly int _maxDecompressedBytes;

    /// <summary>Creates the serializer; payloads over <paramref name="compressionThresholdBytes"/> are compressed.</summary>
    /// <param name="compressionThresholdBytes">Serialized values longer than this are LZ4-compressed.</param>
    /// <param name="maxDecompressedBytes">
    /// A compressed payload read back may declare at most this many uncompressed bytes, and at most what LZ4
    /// can produce from the bytes present (255 to 1); otherwise reading throws before anything is allocated.
    /// </param>
    public MessagePackCacheSerializer(int compressionThresholdBytes = 1024, int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDecompressedBytes);
        _maxDecompressedBytes = maxDecompressedBytes;
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
    /// <exception cref="InvalidDataException">The payload claims more uncompressed bytes than it may hold.</exception>
    public T Deserialize<T>(ReadOnlyMemory<byte> payload)
    {
        // Bytes from a tier are untrusted: check the sizes they claim before MessagePack allocates them.
        Lz4FrameLimit.Check(payload, _maxDecompressedBytes);
        return MessagePackSerializer.Deserialize<T>(payload, _options);
    }
}
