using System.Collections.Concurrent;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CachedMethods.FaultTests.Fixtures;
using CachedMethods.Redis;
using CachedMethods.S3;
using CachedMethods.TestSupport;
using StackExchange.Redis;

namespace CachedMethods.FaultTests;

/// <summary>
/// Key and tag text never leaves the process (issue 14, item 3): entries written with prefixed keys and
/// user tags through real Redis, disk and s3rver, and the channel's messages, hold only digests, while
/// prefix and tag invalidation keep working across processes.
/// </summary>
public sealed class TagDigestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Customer = "secret-customer-4711";
    private const string UserTag = "tag-of-patient-jane";
    private const string Bucket = "digests";

    private static readonly string[] Secrets = [Customer, "invoice-2024", "page-0042", UserTag];

    private readonly string _disk = TestEnvironment.NewTempFolder("digests");
    private readonly string _prefix = $"dg{Guid.NewGuid():N}:";
    private RedisServer? _redis;
    private S3Server? _s3;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _s3 = await S3Server.StartAsync([Bucket]);
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }

        TestEnvironment.DeleteFolder(_disk);
    }

    [Fact]
    public async Task Redis_values_disk_files_s3_objects_and_channel_messages_hold_no_key_or_tag_text()
    {
        using var client = NewS3Client();
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis!.Port}");
        var messages = new ConcurrentQueue<byte[]>();
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_prefix + "events"), (_, m) => messages.Enqueue((byte[])m!));

        var tagged = new CacheEntryOptions { Tags = [UserTag, $"{Customer}:invoices"] };
        var written = 0;
        await using (var onDisk = Cache(s3: false))
        await using (var onS3 = Cache(s3: true, client))
        {
            foreach (var cache in new[] { onDisk, onS3 })
            {
                var key = $"{Customer}:invoice-2024/page-0042/{written}";
                await cache.SetAsync(key, "text one");
                await cache.GetOrCreateAsync(key + ":words", _ => ValueTask.FromResult(42), tagged);
                written += 2;
            }

            await onDisk.InvalidateTagAsync(UserTag);
            await onDisk.InvalidatePrefixAsync($"{Customer}:invoice-2024/");
        }

        // Every write publishes a Remove and each invalidation a Tag message: wait for all of them. A publish that
        // times out on a busy machine is retried in the background, and may arrive after this wait, so the bytes
        // inspected are those that arrived, and at least the two invalidations' must have.
        var allArrived = await Eventually.HoldsAsync(() => messages.Count >= written + 2, 30);
        output.WriteLine($"{messages.Count} of {written + 2} channel messages arrived (all: {allArrived})");
        Assert.True(messages.Count >= 2, $"{messages.Count} channel messages");

        var stored = new List<(string Where, byte[] Bytes)>();
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await foreach (var redisKey in server.KeysAsync(pattern: _prefix + "*"))
        {
            stored.Add(($"redis key {redisKey}", Encoding.UTF8.GetBytes(redisKey.ToString())));
            if (await redis.GetDatabase().KeyTypeAsync(redisKey) == RedisType.String)
            {
                stored.Add(($"redis value {redisKey}", (byte[])(await redis.GetDatabase().StringGetAsync(redisKey))!));
            }
        }

        stored.AddRange(Directory.EnumerateFiles(_disk, "*", SearchOption.AllDirectories).Select(f => ($"disk file {Path.GetFileName(f)}", File.ReadAllBytes(f))));
        foreach (var s3Object in (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).S3Objects ?? [])
        {
            using var response = await client.GetObjectAsync(Bucket, s3Object.Key);
            using var bytes = new MemoryStream();
            await response.ResponseStream.CopyToAsync(bytes);
            stored.Add(($"s3 object {s3Object.Key}", bytes.ToArray()));
            stored.Add(($"s3 key {s3Object.Key}", Encoding.UTF8.GetBytes(s3Object.Key)));
        }

        stored.AddRange(messages.Select((m, i) => ($"channel message {i}", m)));
        var counts = stored.GroupBy(s => s.Where[..s.Where.LastIndexOf(' ')]).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine("inspected " + string.Join(", ", counts));

        // Two entries per store below Redis; in Redis four entries and the two tag records.
        Assert.Equal(2, stored.Count(s => s.Where.StartsWith("s3 object", StringComparison.Ordinal)));
        Assert.True(stored.Count(s => s.Where.StartsWith("disk file", StringComparison.Ordinal)) >= 2);
        Assert.True(stored.Count(s => s.Where.StartsWith("redis value", StringComparison.Ordinal)) >= 6);
        foreach (var (where, bytes) in stored)
        {
            foreach (var secret in Secrets)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"'{secret}' found in {where}");
            }
        }
    }

    [Fact]
    public async Task Prefix_and_tag_invalidation_still_reach_entries_read_by_another_process()
    {
        var computed = 0;
        ValueTask<string> Compute(CancellationToken _) => ValueTask.FromResult($"value {Interlocked.Increment(ref computed)}");
        var tagged = new CacheEntryOptions { Tags = [UserTag] };

        await using (var writer = Cache(s3: false))
        {
            await writer.GetOrCreateAsync($"{Customer}:a/1", Compute);
            await writer.GetOrCreateAsync("plain", Compute, tagged);
            await writer.GetOrCreateAsync($"{Customer}:b/1", Compute);
        }

        await using (var invalidator = Cache(s3: false))
        {
            await invalidator.InvalidatePrefixAsync($"{Customer}:a/");
            await invalidator.InvalidateTagAsync(UserTag);
        }

        // A process started afterwards reads the entries from Redis and the tag times recorded there.
        await using var reader = Cache(s3: false);
        Assert.Equal("value 4", await reader.GetOrCreateAsync($"{Customer}:a/1", Compute));
        Assert.Equal("value 5", await reader.GetOrCreateAsync("plain", Compute, tagged));
        Assert.Equal("value 3", await reader.GetOrCreateAsync($"{Customer}:b/1", Compute));
    }

    private CacheManager Cache(bool s3, IAmazonS3? client = null)
    {
        var options = new CacheOptions { DiskCachePath = _disk, MemoryCacheSizeMb = 0 }.UseRedis();
        options.Redis.Url = _redis!.Url;
        options.Redis.KeyPrefix = _prefix;
        // Generous: at the default 250 ms a loaded machine turns a Redis read into a miss, and a value into a recomputation.
        options.Redis.OperationTimeoutMs = 10_000;
        if (s3)
        {
            options.S3.Bucket = Bucket;
            options.S3.CompatibilityMode = true;
            options.Services = new OneService(client!);
            options.UseS3();
        }

        return new CacheManager(options);
    }

    private AmazonS3Client NewS3Client() => new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = _s3!.ServiceUrl,
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    private sealed class OneService(object service) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType.IsInstanceOfType(service) ? service : null;
    }
}
