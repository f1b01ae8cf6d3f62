using System.Text;

namespace CachedMethods.Redis.Internal;

/// <summary>Builds the SCAN pattern that matches exactly the keys under a prefix.</summary>
internal static class RedisKeyPattern
{
    /// <summary>
    /// <paramref name="prefix"/> with the glob metacharacters of Redis' <c>stringmatchlen</c>
    /// (<c>* ? [ ] \</c>) escaped, followed by <c>*</c>.
    /// </summary>
    public static string ForPrefix(string prefix)
    {
        var pattern = new StringBuilder(prefix.Length + 8);
        foreach (var c in prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.Append('*').ToString();
    }
}
