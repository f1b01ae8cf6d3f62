using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CachedMethods.S3.Tests;

/// <summary>Every S3 test class shares one s3rver.</summary>
[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Fixture>
{
    public const string Name = "s3rver";
}

/// <summary>Stores, clients and ids for tests against the shared s3rver.</summary>
internal static class S3TestSupport
{
    /// <summary>s3rver accepts any credentials; these are its documented defaults.</summary>
    public static readonly AWSCredentials Credentials = new BasicAWSCredentials("S3RVER", "S3RVER");

    /// <summary>Settings for the fixture's bucket under a prefix no other test uses.</summary>
    public static S3Settings Settings(S3Fixture fixture) => new()
    {
        Bucket = fixture.Bucket,
        ServiceUrl = fixture.ServiceUrl,
        CompatibilityMode = true,
        KeyPrefix = $"tests/{Guid.NewGuid():N}/{{job}}/",
    };

    public static S3CacheStore NewStore(S3Fixture fixture, string? jobId = "job", TimeProvider? timeProvider = null) =>
        NewStore(Settings(fixture), jobId, timeProvider);

    public static S3CacheStore NewStore(S3Settings settings, string? jobId = "job", TimeProvider? timeProvider = null) =>
        new(settings, jobId, NullLogger.Instance, Credentials, timeProvider);

    /// <summary>A client configured as the tests' own view of the bucket, independent of the store under test.</summary>
    public static AmazonS3Client NewClient(S3Fixture fixture) => new(Credentials, new AmazonS3Config
    {
        ServiceURL = fixture.ServiceUrl,
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>A storage id as the engine makes them: the lowercase hex SHA-256 of a key.</summary>
    public static string StorageId(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Deterministic bytes of the given length.</summary>
    public static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Every key under <paramref name="prefix"/>, in S3's order.</summary>
    public static async Task<List<string>> ListKeysAsync(IAmazonS3 client, string bucket, string prefix)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return keys;
    }

    /// <summary>Writes an object the way another tool would, outside any store.</summary>
    public static Task PutForeignObjectAsync(IAmazonS3 client, string bucket, string key) =>
        client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "foreign", UseChunkEncoding = false });
}

/// <summary>A clock that stands still.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
