namespace CachedMethods.Internal;

/// <summary>
/// String keys are tagged with each of their ':'- or '/'-terminated prefixes when written, which is how
/// <see cref="CacheManager.InvalidatePrefixAsync"/> reaches every key under a prefix.
/// </summary>
internal static class PrefixTags
{
    private const string Marker = "\u001fprefix:";

    /// <summary>The tag that stands for <paramref name="prefix"/>; the marker keeps it apart from user tags.</summary>
    public static string TagOf(string prefix) => Marker + prefix;

    /// <summary><paramref name="options"/> with the prefix tags of <paramref name="key"/> added.</summary>
    public static CacheEntryOptions AddTo(string key, CacheEntryOptions options)
    {
        var count = key.AsSpan().IndexOfAny(':', '/') < 0 ? 0 : key.AsSpan().Count(':') + key.AsSpan().Count('/');
        if (count == 0)
        {
            return options;
        }

        var tags = new List<string>(count + (options.Tags?.Count ?? 0));
        if (options.Tags is not null)
        {
            tags.AddRange(options.Tags);
        }

        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] is ':' or '/')
            {
                tags.Add(Marker + key[..(i + 1)]);
            }
        }

        return options with { Tags = tags };
    }
}
