using CachedMethods.Redis;
using CachedMethods.TestSupport;

namespace CachedMethods.FaultTests;

/// <summary>
/// Signed entries (opt-in, <c>CACHE_SIGNING_KEY</c>): a well-formed frame planted in Redis or on disk without
/// the fleet's signature is a miss, never served; frames signed with the key are hits in another process; a
/// process with another key reads them as misses.
/// </summary>
public sealed class SignedEntryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "signing-test-key-of-the-fleet";

    private readonly string _disk = TestEnvironment.NewTempFolder("signed");
    private readonly string _prefix = $"sg{Guid.NewGuid():N}:";
    private RedisServer? _redis;

    public async Task InitializeAsync() => _redis = await RedisServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        TestEnvironment.DeleteFolder(_disk);
    }

    [Theory]
    [InlineData(CacheTiers.Redis)]
    [InlineData(CacheTiers.Persistent)]
    public async Task A_planted_well_formed_unsigned_frame_is_a_miss(CacheTiers plantedIn)
    {
        // Whoever can write to the store plants a frame as the engine itself would write it, without the key.
        await using (var planter = Cache(signingKey: null))
        {
            await planter.SetAsync(CacheKey.FromString("invoice"), "planted", new CacheEntryOptions { Tiers = plantedIn });
        }

        await using var signed = Cache(Key);
        var computed = 0;
        var value = await signed.GetOrCreateAsync("invoice", _ => ValueTask.FromResult($"computed {++computed}"));
        output.WriteLine($"planted in {plantedIn}: read '{value}'");

        Assert.Equal("computed 1", value);
        // Replaced by a signed frame: a second process with the key now hits it.
        await using var other = Cache(Key);
        Assert.Equal("computed 1", await other.GetOrCreateAsync("invoice", _ => ValueTask.FromResult("computed again")));
    }

    [Fact]
    public async Task A_signed_frame_is_a_hit_for_the_same_key_and_a_miss_for_another()
    {
        await using (var writer = Cache(Key))
        {
            await writer.SetAsync("page:1", "signed value");
        }

        await using (var sameKey = Cache(Key))
        {
            var read = await sameKey.GetAsync<string>("page:1");
            Assert.Equal("signed value", read.Value);
            // Served by a tier below memory (Redis, or the disk copy when this new process reads before its Redis
            // connection is up), never computed: the signature was accepted.
            var served = sameKey.GetStats();
            Assert.Equal(1, served["redis"]!.Hits + served["disk"]!.Hits);
        }

        await using var otherKey = Cache("another-key-of-another-fleet");
        Assert.False((await otherKey.GetAsync<string>("page:1")).HasValue);
        var stats = otherKey.GetStats();
        output.WriteLine($"other key: redis {stats["redis"]}, disk {stats["disk"]}");
        Assert.Equal(0, stats["redis"]!.Hits + stats["disk"]!.Hits);
    }

    private CacheManager Cache(string? signingKey)
    {
        var options = new CacheOptions { DiskCachePath = _disk, MemoryCacheSizeMb = 0, SigningKey = signingKey }.UseRedis();
        options.Redis.Url = _redis!.Url;
        options.Redis.KeyPrefix = _prefix;
        return new CacheManager(options);
    }
}
