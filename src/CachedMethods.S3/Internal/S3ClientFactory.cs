using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace CachedMethods.S3.Internal;

/// <summary>Builds the client of a store created from <see cref="S3Settings"/>.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3Settings settings, AWSCredentials? credentials)
    {
        var config = new AmazonS3Config();
        if (!string.IsNullOrEmpty(settings.ServiceUrl))
        {
            // S3-compatible stores (MinIO, s3rver) sit at a host name that cannot take a bucket subdomain.
            config.ServiceURL = settings.ServiceUrl;
            config.AuthenticationRegion = settings.Region;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        if (settings.CompatibilityMode)
        {
            // SDK v4 sends CRC checksums on every request and validates them on every response by
            // default; test servers such as s3rver implement neither. Real AWS keeps them on.
            config.ForcePathStyle = true;
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        if (settings.OperationTimeoutMs > 0)
        {
            // The engine's guard gives up after this long; an HTTP call left running past it is waste.
            config.Timeout = TimeSpan.FromMilliseconds(settings.OperationTimeoutMs);
        }

        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
