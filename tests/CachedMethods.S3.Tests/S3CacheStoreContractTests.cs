using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static CachedMethods.S3.Tests.S3TestSupport;

namespace CachedMethods.S3.Tests;

[Collection(S3Collection.Name)]
public sealed class S3CacheStoreContractTests(S3Fixture fixture)
{
    [Fact]
    public async Task The_store_describes_itself_as_the_asynchronous_persistent_tier()
    {
        await using var store = NewStore(fixture);

        Assert.Equal(CacheTiers.Persistent, store.Tier);
        Assert.Equal("s3", store.Name);
        Assert.True(store.IsAvailable);
        Assert.False(store.SupportsSynchronousIo);
        Assert.Equal(StoreUsage.Unknown, store.GetUsage());
    }

    [Fact]
    public async Task Synchronous_members_do_no_io()
    {
        await using var store = NewStore(fixture);
        var id = StorageId("sync");
        await store.SetAsync(id, new byte[] { 1, 2, 3 }, TimeSpan.FromHours(1), CancellationToken.None);

        // Get reports a miss even for a stored entry: it never waits on the network.
        Assert.Null(store.Get(id));
        Assert.Throws<NotSupportedException>(() => store.Set(id, new byte[] { 1 }, TimeSpan.FromHours(1)));
        Assert.Throws<NotSupportedException>(() => store.Delete(id));
        Assert.Throws<NotSupportedException>(() => store.Clear());
        Assert.Equal(new byte[] { 1, 2, 3 }, await store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task UseS3_makes_the_engine_build_an_S3_store_for_the_batch_job()
    {
        var options = new CacheOptions { BatchJobId = "batch-9", S3 = Settings(fixture) };

        Assert.Same(options, options.UseS3());
        Assert.NotNull(options.S3StoreFactory);

        await using var store = options.S3StoreFactory(options, NullLoggerFactory.Instance);
        var s3 = Assert.IsType<S3CacheStore>(store);
        Assert.EndsWith("/batch-9/", s3.Prefix, StringComparison.Ordinal);
        Assert.Equal(fixture.Bucket, s3.Bucket);
    }
}
