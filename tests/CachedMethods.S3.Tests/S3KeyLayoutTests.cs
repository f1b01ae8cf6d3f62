using System.Text.RegularExpressions;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static CachedMethods.S3.Tests.S3TestSupport;

namespace CachedMethods.S3.Tests;

[Collection(S3Collection.Name)]
public sealed class S3KeyLayoutTests(S3Fixture fixture)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    [Theory]
    [InlineData("ocr-cache/{job}/", "1234-abcd", "ocr-cache/1234-abcd/")]
    [InlineData("ocr-cache/{job}/", null, "ocr-cache/default/")]
    [InlineData("ocr-cache/{job}/", "  ", "ocr-cache/default/")]
    [InlineData("ocr-cache/{job}", "j1", "ocr-cache/j1/")]
    [InlineData("shared-cache/", "j1", "shared-cache/")]
    [InlineData("ocr-cache/{job}/", "../a/b:c#3", "ocr-cache/___a_b_c_3/")]
    public void The_prefix_names_the_job_and_ends_in_a_slash(string keyPrefix, string? jobId, string expected)
    {
        var settings = new S3Settings { Bucket = "b", ServiceUrl = fixture.ServiceUrl, CompatibilityMode = true, KeyPrefix = keyPrefix };

        using var store = new Disposer(new S3CacheStore(settings, jobId, NullLogger.Instance, Credentials));

        Assert.Equal(expected, store.Value.Prefix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("   ")]
    public void An_empty_prefix_is_refused_because_Clear_would_empty_the_bucket(string keyPrefix)
    {
        var settings = new S3Settings { Bucket = "b", ServiceUrl = fixture.ServiceUrl, KeyPrefix = keyPrefix };

        Assert.Throws<CacheConfigurationException>(() => new S3CacheStore(settings, "job", NullLogger.Instance, Credentials));
    }

    [Fact]
    public void A_store_needs_a_bucket()
    {
        var settings = new S3Settings { ServiceUrl = fixture.ServiceUrl };

        Assert.Throws<CacheConfigurationException>(() => new S3CacheStore(settings, "job", NullLogger.Instance, Credentials));
    }

    [Fact]
    public async Task Objects_are_sharded_by_the_first_two_hex_digits_of_the_storage_id()
    {
        var settings = Settings(fixture);
        await using var store = NewStore(settings, "job-7");
        using var client = NewClient(fixture);
        var ids = Enumerable.Range(0, 8).Select(i => StorageId($"shard-{i}")).ToList();
        foreach (var id in ids)
        {
            await store.SetAsync(id, Payload(3, seed: 1), Ttl, CancellationToken.None);
        }

        var keys = await ListKeysAsync(client, fixture.Bucket, store.Prefix);

        Assert.StartsWith(settings.KeyPrefix.Replace("{job}", "job-7", StringComparison.Ordinal), store.Prefix, StringComparison.Ordinal);
        Assert.Equal(ids.Select(id => store.Prefix + id[..2] + "/" + id).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.All(keys, key => Assert.Matches("^" + Regex.Escape(store.Prefix) + "[0-9a-f]{2}/[0-9a-f]{64}$", key));
    }

    [Fact]
    public void The_object_key_is_prefix_shard_and_id()
    {
        using var store = new Disposer(NewStore(fixture, "job"));
        var id = StorageId("key");

        Assert.Equal(store.Value.Prefix + id[..2] + "/" + id, store.Value.GetObjectKey(id));
    }

    [Theory]
    [InlineData("user text with spaces")]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678")]
    [InlineData("")]
    public async Task Anything_but_a_hex_storage_id_is_refused_and_writes_nothing(string storageId)
    {
        await using var store = NewStore(fixture);
        using var client = NewClient(fixture);

        Assert.Throws<ArgumentException>(() => store.GetObjectKey(storageId));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetAsync(storageId, new byte[] { 1 }, Ttl, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync(storageId, CancellationToken.None).AsTask());
        Assert.Empty(await ListKeysAsync(client, fixture.Bucket, store.Prefix));
    }

    /// <summary>Disposes a store in a synchronous test; the store's disposal completes synchronously.</summary>
    private readonly struct Disposer(S3CacheStore value) : IDisposable
    {
        public S3CacheStore Value { get; } = value;

        public void Dispose() => Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
