using System.Text;

namespace CachedMethods.Internal;

/// <summary>
/// Reads the cached method a canonical key belongs to from the scope generated wrappers write first
/// (<see cref="CacheKeyBuilder.AppendScope(string, string, int, string)"/>): <c>Ocr.IOcrService.RecognizeAsync</c>.
/// A key without a scope (the string and <see cref="CacheKey"/> API) belongs to <see cref="Direct"/>.
/// </summary>
/// <remarks>
/// The name drops the parameter list, so overloads share one name: the metrics tag stays short and its
/// cardinality is the number of cached methods, known at compile time.
/// </remarks>
internal static class MethodScope
{
    /// <summary>The name of calls made with a key of the caller's own, not through a generated wrapper.</summary>
    public const string Direct = "(direct)";

    private const byte InlineMode = 0;

    /// <summary>The method name of <paramref name="canonical"/>, or <see cref="Direct"/>.</summary>
    public static string NameOf(ReadOnlySpan<byte> canonical)
    {
        // Scope tag, format version, then the declaring type and the method, each inline (mode, varint length, bytes).
        if (canonical.Length < 2 || canonical[0] != (byte)KeyTag.Scope
            || !TryReadInline(canonical[2..], out var type, out var rest)
            || !TryReadInline(rest, out var method, out _))
        {
            return Direct;
        }

        var open = method.IndexOf((byte)'(');
        if (open >= 0)
        {
            method = method[..open];
        }

        return string.Concat(Encoding.UTF8.GetString(type), ".", Encoding.UTF8.GetString(method));
    }

    private static bool TryReadInline(ReadOnlySpan<byte> from, out ReadOnlySpan<byte> value, out ReadOnlySpan<byte> rest)
    {
        value = rest = default;
        if (from.Length < 2 || from[0] != InlineMode)
        {
            // A name over CacheKeyBuilder.InlineLimit is written as its digest: not readable back.
            return false;
        }

        uint length = 0;
        var shift = 0;
        var i = 1;
        while (true)
        {
            if (i >= from.Length || shift > 28)
            {
                return false;
            }

            var b = from[i++];
            length |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }

            shift += 7;
        }

        if (length > (uint)(from.Length - i))
        {
            return false;
        }

        value = from.Slice(i, (int)length);
        rest = from[(i + (int)length)..];
        return true;
    }
}
