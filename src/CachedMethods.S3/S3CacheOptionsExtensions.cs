using Amazon.S3;
using Microsoft.Extensions.Logging;

namespace CachedMethods.S3;

/// <summary>Plugs the S3 tier into <see cref="CacheOptions"/>.</summary>
public static class S3CacheOptionsExtensions
{
    /// <summary>
    /// Makes the engine build an <see cref="S3CacheStore"/> as its persistent tier whenever
    /// <see cref="S3Settings.Bucket"/> is set, with the prefix's <c>{job}</c> taken from
    /// <see cref="CacheOptions.BatchJobId"/>.
    /// </summary>
    /// <remarks>
    /// The store talks through the <see cref="IAmazonS3"/> registered in <see cref="CacheOptions.Services"/> when there
    /// is one (its configuration decides endpoint, region and credentials, and the container disposes it); otherwise
    /// it builds its own client from <see cref="CacheOptions.S3"/>, with credentials from the SDK's default chain.
    /// </remarks>
    /// <param name="options">The options to change.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static CacheOptions UseS3(this CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.S3StoreFactory = static (o, loggerFactory) =>
        {
            var logger = loggerFactory.CreateLogger<S3CacheStore>();
            return o.Services?.GetService(typeof(IAmazonS3)) is IAmazonS3 client
                ? new S3CacheStore(client, o.S3, o.BatchJobId, logger, o.TimeProvider)
                : new S3CacheStore(o.S3, o.BatchJobId, logger, timeProvider: o.TimeProvider);
        };
        return options;
    }
}
