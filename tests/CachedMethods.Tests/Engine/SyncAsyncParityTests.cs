using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Engine;

/// <summary>
/// The synchronous and asynchronous forms of a call give the same answer and do the same I/O in the
/// same order. Each test runs both forms and compares them; two of them pin drifts the forms once had.
/// </summary>
public sealed class SyncAsyncParityTests : IDisposable
{
    private static readonly CacheEntryOptions Tagged = new() { Ttl = TimeSpan.FromMinutes(10), Tags = ["doc:7"] };

    private readonly TempFolder _folder = new("parity");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// A fresh entry below memory whose tag was invalidated after it was written is a miss, and is deleted
    /// by the read, in both forms (the synchronous read used to skip it and leave it on disk).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_fresh_entry_whose_tag_was_invalidated_is_a_miss_and_is_deleted(bool async)
    {
        using var cache = new CacheManager(TestOptions.Create(_time, Path.Combine(_folder.Path, async ? "async" : "sync")));
        var key = CacheKey.FromString("page-7");
        await cache.SetAsync(key, "old text", Tagged);
        Assert.Equal(1, cache.PersistentStore!.GetUsage().Entries);

        await cache.InvalidateTagAsync("doc:7");

        var found = async ? (await cache.GetAsync<string>(key)).HasValue : cache.TryGet<string>(key, out _);
        Assert.False(found);
        Assert.Equal(0, cache.PersistentStore!.GetUsage().Entries);
        Assert.Equal(1, cache.GetStats()["disk"]!.Misses);
    }

    /// <summary>
    /// A delete touches the stores first and publishes after, in both forms, so that a process that hears
    /// the message and reads Redis finds the entry gone (the synchronous delete used to publish first).
    /// </summary>
    [Fact]
    public async Task A_delete_removes_from_the_stores_before_it_tells_the_other_processes()
    {
        var journals = new List<string[]>();
        foreach (var async in new[] { false, true })
        {
            var redis = new RecordingFleetStore();
            using var cache = new CacheManager(TestOptions.Create(_time, configure: o => o.UseFakeRedis(redis)));
            cache.Set("k", "v");
            redis.Journal.Clear();

            var removed = async ? await cache.DeleteAsync("k") : cache.Delete("k");

            Assert.True(removed);
            journals.Add([.. redis.Journal]);
        }

        Assert.Equal(["delete", "publish Remove"], journals[0]);
        Assert.Equal(journals[0], journals[1]);
    }

    /// <summary>A write and a clear do the same I/O in the same order in both forms: stores, then the message.</summary>
    [Fact]
    public async Task Writes_and_clears_store_before_they_publish_in_both_forms()
    {
        var journals = new List<string[]>();
        foreach (var async in new[] { false, true })
        {
            var redis = new RecordingFleetStore();
            using var cache = new CacheManager(TestOptions.Create(_time, configure: o => o.UseFakeRedis(redis)));
            if (async)
            {
                await cache.SetAsync("k", "v");
                await cache.ClearAsync();
            }
            else
            {
                cache.Set("k", "v");
                cache.Clear();
            }

            journals.Add([.. redis.Journal]);
        }

        Assert.Equal(["set", "publish Remove", "clear", "publish Clear"], journals[0]);
        Assert.Equal(journals[0], journals[1]);
    }

    /// <summary>A value found only below memory is promoted the same way by both forms, and counted the same.</summary>
    [Fact]
    public async Task Both_forms_promote_a_lower_hit_alike()
    {
        var outcomes = new List<(string?, long, long, int)>();
        foreach (var async in new[] { false, true })
        {
            var redis = new InMemoryStore();
            using var cache = new CacheManager(TestOptions.Create(_time, Path.Combine(_folder.Path, async ? "a" : "s"), o => o.UseFakeRedis(redis)));
            cache.Set("k", "v", TimeSpan.FromMinutes(10));
            cache.Clear(CacheTiers.Memory | CacheTiers.Redis);
            cache.ResetStats();

            var read = async ? await cache.GetAsync<string>("k") : cache.Get<string>("k");

            var stats = cache.GetStats();
            outcomes.Add((read.Value, stats["redis"]!.Misses, stats["disk"]!.Hits, redis.Entries.Count + cache.MemoryStore!.Count));
        }

        Assert.Equal(("v", 1L, 1L, 2), outcomes[0]);
        Assert.Equal(outcomes[0], outcomes[1]);
    }
}
