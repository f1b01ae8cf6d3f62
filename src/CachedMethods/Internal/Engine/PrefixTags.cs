using System.Buffers;
using System.Text;

namespace CachedMethods.Internal;

/// <summary>
/// String keys are tagged with each of their first <see cref="MaxPerKey"/> ':'- or '/'-terminated prefixes
/// when written, which is how <see cref="CacheManager.InvalidatePrefixAsync"/> reaches every key under a
/// prefix. Only the prefixes' digests (<see cref="TagDigest"/>) are kept, never their text.
/// </summary>
/// <remarks>
/// The bound (issue 14, item 4): a 16 KB key with 4,000 separators once became 4,000 tags of up to 16 KB
/// each. Prefixes past the <see cref="MaxPerKey"/>th separator are not tagged, and
/// <see cref="CacheManager.InvalidatePrefixAsync"/> refuses them.
/// </remarks>
internal static class PrefixTags
{
    /// <summary>The most prefix tags one key gets: its first 16 separators.</summary>
    public const int MaxPerKey = 16;

    private const string Marker = "\u001fprefix:";

    /// <summary>The digest of the tag that stands for <paramref name="prefix"/>; the marker keeps it apart from user tags.</summary>
    public static string TagOf(string prefix) => TagDigest.Of(Marker + prefix);

    /// <summary>How many separators <paramref name="prefix"/> holds, the depth it is tagged at.</summary>
    public static int Depth(string prefix) => prefix.AsSpan().Count(':') + prefix.AsSpan().Count('/');

    /// <summary><paramref name="options"/> with its tags digested and the prefix tags of <paramref name="key"/> added.</summary>
    public static CacheEntryOptions AddTo(string key, CacheEntryOptions options)
    {
        if (key.AsSpan().IndexOfAny(':', '/') < 0)
        {
            return options;
        }

        var userTags = TagDigest.Normalize(options.Tags);
        var tags = new List<string>(MaxPerKey + (userTags?.Count ?? 0));
        if (userTags is not null)
        {
            tags.AddRange(userTags);
        }

        // Separators are ASCII, so they are found in the UTF-8 bytes directly, and each prefix is hashed
        // in place: no prefix string is made.
        var length = Encoding.UTF8.GetByteCount(Marker) + Encoding.UTF8.GetByteCount(key);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var utf8 = buffer.AsSpan(0, length);
            var start = Encoding.UTF8.GetBytes(Marker, utf8);
            Encoding.UTF8.GetBytes(key, utf8[start..]);
            for (var i = start; i < utf8.Length && tags.Count < (userTags?.Count ?? 0) + MaxPerKey; i++)
            {
                if (utf8[i] is (byte)':' or (byte)'/')
                {
                    tags.Add(TagDigest.Of(utf8[..(i + 1)]));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return options with { Tags = new TagDigestList([.. tags]) };
    }
}
