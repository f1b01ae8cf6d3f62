using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MessagePack;
using MessagePack.Formatters;

namespace CachedMethods.Serialization.Formatters;

/// <summary>
/// Strings with their exact UTF-16 code units. A well-formed string is a MessagePack str (UTF-8); a string
/// holding a lone surrogate (text cut mid-emoji), which UTF-8 cannot carry, is an extension of type
/// <see cref="ExtensionType"/> holding the UTF-16LE code units, so it never comes back with U+FFFD.
/// </summary>
public sealed class ExactStringFormatter : IMessagePackFormatter<string?>
{
    /// <summary>The MessagePack extension type of a string with a lone surrogate.</summary>
    public const sbyte ExtensionType = 40;

    /// <summary>The shared instance.</summary>
    public static readonly ExactStringFormatter Instance = new();

    private ExactStringFormatter()
    {
    }

    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, string? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
        }
        else if (value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 || IsWellFormed(value))
        {
            writer.Write(value);
        }
        else
        {
            var length = checked(value.Length * 2);
            writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, length));
            var span = writer.GetSpan(length);
            for (var i = 0; i < value.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span[(i * 2)..], value[i]);
            }

            writer.Advance(length);
        }
    }

    /// <inheritdoc/>
    public string? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return reader.ReadString();
        }

        var header = reader.ReadExtensionFormatHeader();
        if (header.TypeCode != ExtensionType || header.Length % 2 != 0)
        {
            throw new MessagePackSerializationException($"Expected a string, found extension type {header.TypeCode} of {header.Length} bytes.");
        }

        // ReadRaw checks the length against the bytes that are left before anything is allocated.
        var raw = reader.ReadRaw(header.Length);
        var bytes = raw.IsSingleSegment ? raw.FirstSpan : raw.ToArray();
        if (BitConverter.IsLittleEndian)
        {
            return new string(MemoryMarshal.Cast<byte, char>(bytes));
        }

        var chars = new char[bytes.Length / 2];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]);
        }

        return new string(chars);
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
