using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static CachedMethods.S3.Tests.S3TestSupport;

namespace CachedMethods.S3.Tests;

[Collection(S3Collection.Name)]
public sealed class S3CacheStoreClearTests(S3Fixture fixture)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    [Fact]
    public async Task Clear_removes_its_own_prefix_and_nothing_else()
    {
        // Jobs "a" and "ab" share a textual prefix; only the trailing '/' keeps them apart.
        var root = $"tests/{Guid.NewGuid():N}/";
        var settings = Settings(fixture);
        settings.KeyPrefix = root + "{job}/";
        await using var mine = NewStore(settings, "a");
        await using var neighbour = NewStore(settings, "ab");
        using var client = NewClient(fixture);
        var ids = Enumerable.Range(0, 5).Select(i => StorageId($"clear-{i}")).ToList();
        foreach (var id in ids)
        {
            await mine.SetAsync(id, Payload(10, seed: 1), Ttl, CancellationToken.None);
            await neighbour.SetAsync(id, Payload(20, seed: 2), Ttl, CancellationToken.None);
        }

        await PutForeignObjectAsync(client, fixture.Bucket, root + "a.txt");
        await PutForeignObjectAsync(client, fixture.OtherBucket, mine.Prefix + "elsewhere");

        Assert.Equal(ids.Count, await mine.ClearAsync(CancellationToken.None));

        Assert.Empty(await ListKeysAsync(client, fixture.Bucket, mine.Prefix));
        Assert.Equal(Payload(20, seed: 2), await neighbour.GetAsync(ids[0], CancellationToken.None));
        Assert.Equal(ids.Count, (await ListKeysAsync(client, fixture.Bucket, neighbour.Prefix)).Count);
        Assert.Equal([root + "a.txt"], await ListKeysAsync(client, fixture.Bucket, root + "a."));
        Assert.Single(await ListKeysAsync(client, fixture.OtherBucket, mine.Prefix));
    }

    [Fact]
    public async Task Clear_pages_through_more_objects_than_one_listing_returns()
    {
        await using var paged = new S3CacheStore(Settings(fixture), "paged", NullLogger.Instance, Credentials) { ClearPageSize = 3 };
        using var client = NewClient(fixture);
        for (var i = 0; i < 10; i++)
        {
            await paged.SetAsync(StorageId($"page-{i}"), Payload(5, seed: i), Ttl, CancellationToken.None);
        }

        Assert.Equal(10, await paged.ClearAsync(CancellationToken.None));
        Assert.Empty(await ListKeysAsync(client, fixture.Bucket, paged.Prefix));
    }

    [Fact]
    public async Task Clear_of_an_empty_prefix_returns_zero()
    {
        await using var store = NewStore(fixture);

        Assert.Equal(0, await store.ClearAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Entries_can_be_written_again_after_a_clear()
    {
        await using var store = NewStore(fixture);
        var id = StorageId("again");
        await store.SetAsync(id, Payload(10, seed: 1), Ttl, CancellationToken.None);
        await store.ClearAsync(CancellationToken.None);

        await store.SetAsync(id, Payload(10, seed: 2), Ttl, CancellationToken.None);

        Assert.Equal(Payload(10, seed: 2), await store.GetAsync(id, CancellationToken.None));
    }
}
