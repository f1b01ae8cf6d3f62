using System.Buffers;

namespace CachedMethods.S3.Internal;

/// <summary>Where an entry lives in the bucket: <c>{prefix}{id[0..2]}/{id}</c>.</summary>
internal static class S3KeyLayout
{
    /// <summary>The placeholder in <see cref="S3Settings.KeyPrefix"/> that names the job.</summary>
    public const string JobPlaceholder = "{job}";

    /// <summary>What <see cref="JobPlaceholder"/> becomes when the process is not an AWS Batch job.</summary>
    public const string DefaultJob = "default";

    private const int StorageIdLength = 64;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// The prefix of this store's objects: <paramref name="keyPrefix"/> with <c>{job}</c> replaced and a
    /// trailing <c>/</c>, so that one prefix never matches the objects of another.
    /// </summary>
    /// <exception cref="CacheConfigurationException">The prefix is empty: clearing it would empty the bucket.</exception>
    public static string ResolvePrefix(string? keyPrefix, string? jobId)
    {
        var job = string.IsNullOrWhiteSpace(jobId) ? DefaultJob : SanitizeJob(jobId.Trim());
        var prefix = (keyPrefix ?? string.Empty).Replace(JobPlaceholder, job, StringComparison.Ordinal).Trim();
        if (prefix.Length == 0 || prefix == "/")
        {
            throw new CacheConfigurationException(
                "S3Settings.KeyPrefix is empty: Clear would delete the whole bucket. Set a prefix such as 'ocr-cache/{job}/'.");
        }

        return prefix.EndsWith('/') ? prefix : prefix + "/";
    }

    /// <summary>The object key of <paramref name="storageId"/>, sharded by its first two hex digits.</summary>
    /// <exception cref="ArgumentException"><paramref name="storageId"/> is not 64 lowercase hex digits.</exception>
    public static string ObjectKey(string prefix, string storageId)
    {
        // The id is the engine's SHA-256 in hex; anything else would let caller text into object keys.
        if (storageId is not { Length: StorageIdLength } || storageId.AsSpan().ContainsAnyExcept(LowerHex))
        {
            throw new ArgumentException("A storage id is 64 lowercase hex digits.", nameof(storageId));
        }

        return string.Concat(prefix, storageId.AsSpan(0, 2), "/", storageId);
    }

    private static string SanitizeJob(string jobId)
    {
        // A job id becomes one path segment: a '/' in it would nest one job's prefix inside another's,
        // and Clear of the outer job would then delete the inner job's objects.
        return string.Create(jobId.Length, jobId, static (chars, id) =>
        {
            for (var i = 0; i < id.Length; i++)
            {
                var c = id[i];
                chars[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_';
            }
        });
    }
}
