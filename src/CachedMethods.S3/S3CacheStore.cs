using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CachedMethods.S3.Internal;
using Microsoft.Extensions.Logging;

namespace CachedMethods.S3;

/// <summary>
/// The S3 persistent tier: each envelope is one object at <c>{prefix}{id[0..2]}/{id}</c>, where the prefix
/// is <see cref="S3Settings.KeyPrefix"/> with <c>{job}</c> replaced by the AWS Batch job id.
/// </summary>
/// <remarks>
/// <para>
/// The store is stateless over a thread-safe <see cref="IAmazonS3"/> client, so every member may be called
/// concurrently. It throws on any failure (network, credentials, a missing bucket); the engine's guard turns
/// that into a miss, bounds each call by <see cref="S3Settings.OperationTimeoutMs"/> and opens a circuit after
/// repeated failures. A missing object is not a failure: reads return <see langword="null"/>.
/// </para>
/// <para>
/// The AWS SDK for .NET has no synchronous API, so <see cref="SupportsSynchronousIo"/> is
/// <see langword="false"/> and the synchronous members do no I/O: the engine never calls them, and writes
/// from synchronous callers go through its background queue to <see cref="SetAsync"/>.
/// </para>
/// <para>
/// Each object carries <c>x-amz-meta-cm-expires</c>, its expiry in Unix milliseconds, for lifecycle tooling;
/// the engine itself checks expiry from the envelope. See <c>docs/architecture.md</c>.
/// </para>
/// </remarks>
public sealed class S3CacheStore : ICacheStore
{
    /// <summary>The user metadata key of the expiry; S3 stores it as <c>x-amz-meta-cm-expires</c>.</summary>
    public const string ExpiresMetadataKey = "cm-expires";

    private const string OctetStream = "application/octet-stream";

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly string _bucket;
    private readonly S3StorageClass? _storageClass;
    private readonly bool _chunkedUploads;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a store with its own client, built from <paramref name="settings"/>.</summary>
    /// <param name="settings">
    /// Bucket, region or service URL, prefix and storage class; read once here, so later changes to it have no effect.
    /// </param>
    /// <param name="jobId">The AWS Batch job id that replaces <c>{job}</c> in the prefix; <c>default</c> when empty.
    /// Characters other than ASCII letters, digits, <c>-</c> and <c>_</c> become <c>_</c>.</param>
    /// <param name="logger">Where the store logs.</param>
    /// <param name="credentials">Credentials to sign with; <see langword="null"/> uses the SDK's default chain.</param>
    /// <param name="timeProvider">The clock of the <c>cm-expires</c> metadata; the system clock by default.</param>
    /// <exception cref="CacheConfigurationException">No bucket is set, or the prefix is empty.</exception>
    public S3CacheStore(S3Settings settings, string? jobId, ILogger logger, AWSCredentials? credentials = null, TimeProvider? timeProvider = null)
        : this(ValidSettings(settings), jobId, logger, timeProvider, client: null, credentials)
    {
    }

    /// <summary>Creates a store over an existing client (for example one registered in dependency injection).</summary>
    /// <param name="client">The client; the caller owns it and disposes it after the store.</param>
    /// <param name="settings">
    /// Bucket, prefix and storage class; the client's own configuration decides endpoint, region and checksums.
    /// <see cref="S3Settings.CompatibilityMode"/> still turns off chunked uploads.
    /// </param>
    /// <param name="jobId">The AWS Batch job id that replaces <c>{job}</c> in the prefix; <c>default</c> when empty.</param>
    /// <param name="logger">Where the store logs.</param>
    /// <param name="timeProvider">The clock of the <c>cm-expires</c> metadata; the system clock by default.</param>
    /// <exception cref="CacheConfigurationException">No bucket is set, or the prefix is empty.</exception>
    public S3CacheStore(IAmazonS3 client, S3Settings settings, string? jobId, ILogger logger, TimeProvider? timeProvider = null)
        : this(ValidSettings(settings), jobId, logger, timeProvider, client ?? throw new ArgumentNullException(nameof(client)), credentials: null)
    {
    }

    private S3CacheStore(S3Settings settings, string? jobId, ILogger logger, TimeProvider? timeProvider, IAmazonS3? client, AWSCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(logger);
        Prefix = S3KeyLayout.ResolvePrefix(settings.KeyPrefix, jobId);
        _bucket = settings.Bucket!;
        _storageClass = string.IsNullOrWhiteSpace(settings.StorageClass) ? null : S3StorageClass.FindValue(settings.StorageClass.Trim());
        // s3rver and other test servers store an aws-chunked body verbatim instead of decoding it.
        _chunkedUploads = !settings.CompatibilityMode;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger;
        _ownsClient = client is null;
        _client = client ?? S3ClientFactory.Create(settings, credentials);
        _logger.StoreCreated(_bucket, Prefix, settings.ServiceUrl, settings.CompatibilityMode);
    }

    /// <summary>The key prefix of every object of this store, ending in <c>/</c>; <see cref="ClearAsync"/> removes only it.</summary>
    public string Prefix { get; }

    /// <summary>The bucket of this store.</summary>
    public string Bucket => _bucket;

    /// <summary>Always <see cref="CacheTiers.Persistent"/>.</summary>
    public CacheTiers Tier => CacheTiers.Persistent;

    /// <summary>Always <c>s3</c>.</summary>
    public string Name => "s3";

    /// <summary>Always <see langword="true"/>: the engine's guard tracks failures and opens its circuit.</summary>
    public bool IsAvailable => true;

    /// <summary>Always <see langword="false"/>: the SDK has no synchronous API, and the store never blocks on async code.</summary>
    public bool SupportsSynchronousIo => false;

    /// <summary>Page size of <see cref="ClearAsync"/>: keys listed, then deleted, per round trip (S3 allows 1000).</summary>
    internal int ClearPageSize { get; init; } = 1000;

    /// <summary>The object key that holds <paramref name="storageId"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="storageId"/> is not 64 lowercase hex digits.</exception>
    public string GetObjectKey(string storageId) => S3KeyLayout.ObjectKey(Prefix, storageId);

    /// <summary>Does no I/O and returns <see langword="null"/>; see <see cref="SupportsSynchronousIo"/>.</summary>
    public byte[]? Get(string storageId) => null;

    /// <summary>Reads the object of <paramref name="storageId"/>; <see langword="null"/> when there is none.</summary>
    /// <exception cref="AmazonS3Exception">S3 failed, for example because the bucket does not exist.</exception>
    public async ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = GetObjectKey(storageId) };
        try
        {
            using var response = await _client.GetObjectAsync(request, cancellationToken);
            return await ReadBodyAsync(response, cancellationToken);
        }
        catch (AmazonS3Exception e) when (IsMissingObject(e))
        {
            return null;
        }
    }

    /// <summary>Throws: the engine writes through <see cref="SetAsync"/>; see <see cref="SupportsSynchronousIo"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive) => throw SyncNotSupported();

    /// <summary>
    /// Writes <paramref name="envelope"/> as the object of <paramref name="storageId"/>, replacing any, with the
    /// configured storage class and its expiry in <c>x-amz-meta-cm-expires</c>.
    /// </summary>
    /// <exception cref="AmazonS3Exception">S3 failed.</exception>
    public async ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var key = GetObjectKey(storageId);
        var expires = _timeProvider.GetUtcNow().Add(timeToLive).ToUnixTimeMilliseconds();
        using var body = AsStream(envelope);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            ContentType = OctetStream,
            StorageClass = _storageClass,
            UseChunkEncoding = _chunkedUploads,
        };
        request.Metadata.Add(ExpiresMetadataKey, expires.ToString(CultureInfo.InvariantCulture));
        await _client.PutObjectAsync(request, cancellationToken);
        _logger.Stored(envelope.Length, _bucket, key);
    }

    /// <summary>Throws: the engine deletes through <see cref="DeleteAsync"/>; see <see cref="SupportsSynchronousIo"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public bool Delete(string storageId) => throw SyncNotSupported();

    /// <summary>Deletes the object of <paramref name="storageId"/>; <see langword="true"/> when it existed.</summary>
    /// <remarks>A HEAD request finds whether it existed, since S3's DELETE answers the same either way.</remarks>
    /// <exception cref="AmazonS3Exception">S3 failed.</exception>
    public async ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken)
    {
        var key = GetObjectKey(storageId);
        try
        {
            await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (IsMissingObject(e))
        {
            return false;
        }

        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken);
        return true;
    }

    /// <summary>Throws: the engine clears through <see cref="ClearAsync"/>; see <see cref="SupportsSynchronousIo"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public long Clear() => throw SyncNotSupported();

    /// <summary>
    /// Deletes every object under <see cref="Prefix"/>, a page of up to 1000 at a time, and returns how many.
    /// Objects outside the prefix, including other jobs' prefixes, are never touched.
    /// </summary>
    /// <exception cref="AmazonS3Exception">S3 failed.</exception>
    /// <exception cref="InvalidOperationException">S3 refused to delete some objects; the rest were deleted.</exception>
    public async ValueTask<long> ClearAsync(CancellationToken cancellationToken)
    {
        var list = new ListObjectsV2Request { BucketName = _bucket, Prefix = Prefix, MaxKeys = ClearPageSize };
        long deleted = 0;
        var failed = 0;
        DeleteError? firstError = null;
        ListObjectsV2Response page;
        do
        {
            page = await _client.ListObjectsV2Async(list, cancellationToken);
            // SDK v4 leaves an empty collection null.
            if (page.S3Objects is { Count: > 0 } objects)
            {
                var delete = new DeleteObjectsRequest
                {
                    BucketName = _bucket,
                    Quiet = true,
                    Objects = objects.ConvertAll(o => new KeyVersion { Key = o.Key }),
                };
                var result = await _client.DeleteObjectsAsync(delete, cancellationToken);
                var errors = result.DeleteErrors ?? [];
                foreach (var error in errors)
                {
                    _logger.ClearDeleteFailed(_bucket, error.Key, error.Code, error.Message);
                }

                firstError ??= errors.FirstOrDefault();
                failed += errors.Count;
                deleted += objects.Count - errors.Count;
            }

            // The token names the last key listed, so deleting that page does not disturb the next one.
            list.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        _logger.Cleared(deleted, _bucket, Prefix);
        if (firstError is not null)
        {
            throw new InvalidOperationException(
                $"Cleared {deleted} objects under s3://{_bucket}/{Prefix}, but {failed} could not be deleted; first: {firstError.Key}: {firstError.Code} {firstError.Message}");
        }

        return deleted;
    }

    /// <summary>Always <see cref="StoreUsage.Unknown"/>: counting would mean listing the whole prefix.</summary>
    public StoreUsage GetUsage() => StoreUsage.Unknown;

    /// <summary>Disposes the client when the store created it; a client passed in stays with its owner.</summary>
    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static S3Settings ValidSettings(S3Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.IsConfigured
            ? settings
            : throw new CacheConfigurationException("The S3 tier needs a bucket: set S3Settings.Bucket (S3_CACHE_BUCKET).");
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> envelope) =>
        MemoryMarshal.TryGetArray(envelope, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(envelope.ToArray(), writable: false);

    private static async Task<byte[]> ReadBodyAsync(GetObjectResponse response, CancellationToken cancellationToken)
    {
        var stream = response.ResponseStream;
        var length = response.ContentLength;
        if (length is < 0 or > int.MaxValue)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken);
            return copy.ToArray();
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        // Reading to the end is where the SDK validates a response checksum, and it proves the body was
        // no longer than announced.
        var probe = new byte[1];
        if (await stream.ReadAsync(probe, cancellationToken) != 0)
        {
            throw new InvalidDataException($"s3://{response.BucketName}/{response.Key} sent more than its Content-Length of {length} bytes.");
        }

        return body;
    }

    private static bool IsMissingObject(AmazonS3Exception e) =>
        // A missing bucket is a configuration error the guard must see, not a miss.
        e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket";

    private static NotSupportedException SyncNotSupported() =>
        new("The S3 store has no synchronous I/O (SupportsSynchronousIo is false); call the asynchronous member.");
}
