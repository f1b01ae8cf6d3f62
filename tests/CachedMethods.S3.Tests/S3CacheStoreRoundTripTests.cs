using System.Globalization;
using Amazon.S3;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static CachedMethods.S3.Tests.S3TestSupport;

namespace CachedMethods.S3.Tests;

[Collection(S3Collection.Name)]
public sealed class S3CacheStoreRoundTripTests(S3Fixture fixture)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    [Fact]
    public async Task Get_returns_the_bytes_that_Set_wrote()
    {
        await using var store = NewStore(fixture);
        var id = StorageId("small");
        var envelope = Payload(100, seed: 1);

        await store.SetAsync(id, envelope, Ttl, CancellationToken.None);

        Assert.Equal(envelope, await store.GetAsync(id, CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(300 * 1024 + 7)]
    public async Task Payloads_of_any_size_come_back_byte_for_byte(int length)
    {
        // Large bodies are where an aws-chunked upload stored verbatim would show up as extra bytes.
        await using var store = NewStore(fixture);
        var id = StorageId($"size-{length}");
        var envelope = Payload(length, seed: length);

        await store.SetAsync(id, envelope, Ttl, CancellationToken.None);

        var read = await store.GetAsync(id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(length, read.Length);
        Assert.True(envelope.AsSpan().SequenceEqual(read), "The body read differs from the body written.");
    }

    [Fact]
    public async Task Set_writes_only_the_slice_of_a_larger_array()
    {
        await using var store = NewStore(fixture);
        var id = StorageId("slice");
        var backing = Payload(1000, seed: 2);
        var slice = backing.AsMemory(100, 500);

        await store.SetAsync(id, slice, Ttl, CancellationToken.None);

        Assert.Equal(slice.ToArray(), await store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Set_replaces_an_existing_entry()
    {
        await using var store = NewStore(fixture);
        var id = StorageId("replace");

        await store.SetAsync(id, Payload(2000, seed: 3), Ttl, CancellationToken.None);
        await store.SetAsync(id, Payload(10, seed: 4), Ttl, CancellationToken.None);

        Assert.Equal(Payload(10, seed: 4), await store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Get_of_a_missing_object_returns_null()
    {
        await using var store = NewStore(fixture);

        Assert.Null(await store.GetAsync(StorageId("never written"), CancellationToken.None));
    }

    [Fact]
    public async Task Get_from_a_missing_bucket_throws_so_the_guard_sees_the_misconfiguration()
    {
        var settings = Settings(fixture);
        settings.Bucket = "no-such-bucket";
        await using var store = NewStore(settings);

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => store.GetAsync(StorageId("x"), CancellationToken.None).AsTask());
        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    [Fact]
    public async Task Delete_returns_true_for_an_existing_entry_then_false()
    {
        await using var store = NewStore(fixture);
        var id = StorageId("delete");
        await store.SetAsync(id, Payload(10, seed: 5), Ttl, CancellationToken.None);

        Assert.True(await store.DeleteAsync(id, CancellationToken.None));
        Assert.Null(await store.GetAsync(id, CancellationToken.None));
        Assert.False(await store.DeleteAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Objects_carry_content_type_storage_class_and_expiry_metadata()
    {
        var now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await using var store = NewStore(fixture, timeProvider: new FixedTimeProvider(now));
        using var client = NewClient(fixture);
        var id = StorageId("metadata");

        await store.SetAsync(id, Payload(10, seed: 6), TimeSpan.FromMinutes(90), CancellationToken.None);

        var head = await client.GetObjectMetadataAsync(fixture.Bucket, store.GetObjectKey(id));
        Assert.Equal("application/octet-stream", head.Headers.ContentType);
        Assert.Equal(S3StorageClass.StandardInfrequentAccess, head.StorageClass);
        Assert.Equal(
            now.AddMinutes(90).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            head.Metadata["x-amz-meta-" + S3CacheStore.ExpiresMetadataKey]);
    }

    [Fact]
    public async Task Concurrent_writes_and_reads_of_distinct_entries_all_round_trip()
    {
        await using var store = NewStore(fixture);
        var entries = Enumerable.Range(0, 16).Select(i => (Id: StorageId($"parallel-{i}"), Body: Payload(4096 + i, seed: 100 + i))).ToList();

        await Task.WhenAll(entries.Select(e => store.SetAsync(e.Id, e.Body, Ttl, CancellationToken.None).AsTask()));
        var read = await Task.WhenAll(entries.Select(e => store.GetAsync(e.Id, CancellationToken.None).AsTask()));

        Assert.Equal(entries.Select(e => e.Body), read);
    }

    [Fact]
    public async Task A_store_over_an_injected_client_works_and_leaves_the_client_open()
    {
        using var client = NewClient(fixture);
        var id = StorageId("injected");
        var settings = Settings(fixture);
        await using (var store = new S3CacheStore(client, settings, "job", NullLogger.Instance))
        {
            await store.SetAsync(id, Payload(10, seed: 7), Ttl, CancellationToken.None);
            Assert.Equal(Payload(10, seed: 7), await store.GetAsync(id, CancellationToken.None));
        }

        // Still usable after the store is gone: the store did not dispose a client it does not own.
        var keys = await ListKeysAsync(client, fixture.Bucket, settings.KeyPrefix.Replace("{job}", "job", StringComparison.Ordinal));
        Assert.Single(keys);
    }
}
