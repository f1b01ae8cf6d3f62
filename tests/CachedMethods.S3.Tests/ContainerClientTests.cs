using Amazon.S3;
using CachedMethods.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CachedMethods.S3.Tests;

/// <summary>UseS3() under AddCachedMethods takes the application's own IAmazonS3 from the container.</summary>
[Collection(S3Collection.Name)]
public sealed class ContainerClientTests(S3Fixture s3)
{
    [Fact]
    public async Task A_registered_client_is_the_stores_client_and_is_not_disposed_with_the_engine()
    {
        using var client = S3TestSupport.NewClient(s3);
        var prefix = $"tests/{Guid.NewGuid():N}/";
        var provider = new ServiceCollection()
            .AddSingleton<IAmazonS3>(client)
            .AddCachedMethods(o =>
            {
                // No service URL or compatibility settings: only the registered client knows where s3rver is.
                o.S3.Bucket = s3.Bucket;
                o.S3.KeyPrefix = prefix;
                o.S3.CompatibilityMode = true;
                o.UseS3();
            })
            .BuildServiceProvider();
        var cache = provider.GetRequiredService<CacheManager>();

        var store = Assert.IsType<S3CacheStore>(cache.PersistentStore);
        await cache.SetAsync("page", "text");
        var keys = await S3TestSupport.ListKeysAsync(client, s3.Bucket, prefix);

        Assert.Equal(prefix, store.Prefix);
        Assert.Single(keys);

        await provider.DisposeAsync();

        // Still usable: the container, not the store, owns the client.
        Assert.Single(await S3TestSupport.ListKeysAsync(client, s3.Bucket, prefix));
    }
}
