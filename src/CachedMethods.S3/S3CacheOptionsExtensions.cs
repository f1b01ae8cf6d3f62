using Microsoft.Extensions.Logging;

namespace CachedMethods.S3;

/// <summary>Plugs the S3 tier into <see cref="CacheOptions"/>.</summary>
public static class S3CacheOptionsExtensions
{
    /// <summary>
    /// Makes the engine build an <see cref="S3CacheStore"/> as its persistent tier whenever
    /// <see cref="S3Settings.Bucket"/> is set, with the prefix's <c>{job}</c> taken from
    /// <see cref="CacheOptions.BatchJobId"/> and credentials from the SDK's default chain.
    /// </summary>
    /// <param name="options">The options to change.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static CacheOptions UseS3(this CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.S3StoreFactory = static (o, loggerFactory) =>
            new S3CacheStore(o.S3, o.BatchJobId, loggerFactory.CreateLogger<S3CacheStore>(), timeProvider: o.TimeProvider);
        return options;
    }
}
