using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using CachedMethods.Serialization;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace CachedMethods;

/// <summary>
/// The default serializer: MessagePack 2.5 with the formatters the CachedMethods generator writes, LZ4 block
/// compression above a size threshold and <see cref="MessagePackSecurity.UntrustedData"/> for every read.
/// </summary>
/// <remarks>
/// <para>
/// Only generated formatters and the exact built-in ones (<see cref="CacheFormatters"/>) are used: nothing is
/// emitted or reflected at run time, so it works under NativeAOT and the first read of a type in a new
/// process costs no formatter build. A type without a formatter fails to serialize; the engine then keeps
/// the value in memory only and logs it once per type. See docs/serialization.md.
/// </para>
/// <para>
/// <see cref="WithDynamicResolver"/> brings back MessagePack's contractless resolver as a fallback, for types
/// the generator has not seen. It emits code at run time and is not AOT-safe.
/// </para>
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
        : this(CacheFormatters.Resolver, compressionThresholdBytes, maxDecompressedBytes)
    {
    }

    private MessagePackCacheSerializer(IFormatterResolver resolver, int compressionThresholdBytes, int maxDecompressedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDecompressedBytes);
        _maxDecompressedBytes = maxDecompressedBytes;
        _options = new MessagePackSerializerOptions(resolver)
            .WithSecurity(MessagePackSecurity.UntrustedData)
            .WithCompression(MessagePackCompression.Lz4BlockArray)
            .WithCompressionMinLength(Math.Max(64, compressionThresholdBytes));
    }

    /// <summary>A shared instance with the default threshold.</summary>
    public static MessagePackCacheSerializer Default { get; } = new();

    /// <summary>
    /// A serializer that falls back to MessagePack's contractless resolver for types without a generated
    /// formatter. Opt-in only: that resolver builds formatters with Reflection.Emit on first use of each type
    /// (about half a second for the first read in a new process), does not work under NativeAOT, and reads
    /// types by public members only, which can lose data the generator would have reported.
    /// </summary>
    [RequiresDynamicCode("The contractless resolver emits formatters at run time.")]
    [RequiresUnreferencedCode("The contractless resolver reads members by reflection.")]
    public static MessagePackCacheSerializer WithDynamicResolver(int compressionThresholdBytes = 1024, int maxDecompressedBytes = DefaultMaxDecompressedBytes) =>
        new(new FallbackResolver(CacheFormatters.Resolver, ContractlessStandardResolver.Instance), compressionThresholdBytes, maxDecompressedBytes);

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

    private sealed class FallbackResolver(IFormatterResolver first, IFormatterResolver fallback) : IFormatterResolver
    {
        public IMessagePackFormatter<T>? GetFormatter<T>() => first.GetFormatter<T>() ?? fallback.GetFormatter<T>();
    }
}
