using System.Security.Cryptography;
using CachedMethods.Internal;

namespace CachedMethods;

/// <summary>
/// A cache key: its canonical bytes, the 128-bit hash the memory tier buckets by, and (computed on
/// first use, only on a memory miss) the SHA-256 storage id under which Redis, disk and S3 keep it.
/// </summary>
/// <remarks>
/// Lower tiers store entries under the hex SHA-256 of the canonical bytes, so no argument value ever
/// appears in a key listing and no key can name a path outside the cache directory.
/// </remarks>
public sealed class CacheKey : IEquatable<CacheKey>
{
    private string? _storageId;
    private byte[]? _digest;
    private string? _methodName;

    /// <summary>Wraps canonical key bytes written by a <see cref="CacheKeyBuilder"/>.</summary>
    public CacheKey(byte[] canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        Canonical = canonical;
        Hash = KeyHash.Compute(canonical);
    }

    /// <summary>The canonical, type-tagged encoding of the key.</summary>
    public byte[] Canonical { get; }

    /// <summary>The in-process hash of <see cref="Canonical"/>.</summary>
    public KeyHash Hash { get; }

    /// <summary>The SHA-256 of <see cref="Canonical"/>; every envelope below memory carries it.</summary>
    public ReadOnlySpan<byte> Digest => _digest ??= SHA256.HashData(Canonical);

    /// <summary>The lowercase hex SHA-256 of <see cref="Canonical"/>: the name in Redis, on disk and in S3.</summary>
    public string StorageId => _storageId ??= Convert.ToHexStringLower(Digest);

    /// <summary>The cached method this key belongs to, read from its scope once (metrics and per-method statistics).</summary>
    internal string MethodName => _methodName ??= MethodScope.NameOf(Canonical);

    /// <summary>Makes the key for a plain string key.</summary>
    public static CacheKey FromString(string key)
    {
        var builder = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            builder.AppendRawKey(key);
            return builder.ToCacheKey();
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <inheritdoc/>
    public bool Equals(CacheKey? other) =>
        other is not null && Hash == other.Hash && Canonical.AsSpan().SequenceEqual(other.Canonical);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CacheKey);

    /// <inheritdoc/>
    public override int GetHashCode() => Hash.GetHashCode();

    /// <summary>The storage id; never a raw argument value.</summary>
    public override string ToString() => StorageId;
}
