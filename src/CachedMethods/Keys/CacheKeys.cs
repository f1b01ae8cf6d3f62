namespace CachedMethods;

/// <summary>Deterministic keys from a document hash and named parameters.</summary>
public static class CacheKeys
{
    /// <summary>
    /// Builds the canonical key of <paramref name="documentHash"/> and <paramref name="parameters"/>,
    /// sorted by name (ordinal), so that parameter order does not matter.
    /// </summary>
    /// <exception cref="ArgumentException">A name repeats, or a value has no deterministic encoding.</exception>
    public static CacheKey Create(string documentHash, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(documentHash);
        ArgumentNullException.ThrowIfNull(parameters);
        var sorted = (ReadOnlySpan<(string Name, object? Value)>)parameters;
        if (parameters.Length > 1)
        {
            var copy = parameters.ToArray();
            Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            for (var i = 1; i < copy.Length; i++)
            {
                if (string.Equals(copy[i - 1].Name, copy[i].Name, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Parameter '{copy[i].Name}' is given twice.", nameof(parameters));
                }
            }

            sorted = copy;
        }

        var builder = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            builder.AppendScope("document", "", 0, "");
            builder.Append(documentHash);
            foreach (var (name, value) in sorted)
            {
                ArgumentNullException.ThrowIfNull(name, nameof(parameters));
                builder.AppendName(name);
                builder.AppendObject(value, name);
            }

            return builder.ToCacheKey();
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>The hex SHA-256 of <see cref="Create"/>'s key: 64 characters, no argument value in it.</summary>
    public static string Generate(string documentHash, params (string Name, object? Value)[] parameters) =>
        Create(documentHash, parameters).StorageId;
}
