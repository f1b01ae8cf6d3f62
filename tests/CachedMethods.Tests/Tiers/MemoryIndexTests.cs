using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Tiers;

/// <summary>
/// The memory index of a generated call site: it serves only what the memory tier holds, and loses an
/// entry the moment the tier does (replaced, deleted, invalidated, evicted, expired).
/// </summary>
public sealed class MemoryIndexTests : IDisposable
{
    private static readonly CacheEntryOptions Options = new() { Ttl = TimeSpan.FromMinutes(10), Tags = ["items"] };

    private readonly FakeTimeProvider _time = TestOptions.NewClock();
    private readonly CacheManager _cache;
    private readonly MemoryIndex<ValueTuple<int>> _index;
    private int _computed;

    public MemoryIndexTests()
    {
        _cache = new CacheManager(TestOptions.Create(_time));
        _index = _cache.GetMemoryIndex<ValueTuple<int>>(new object());
    }

    public void Dispose() => _cache.Dispose();

    private static CacheKey Key(int id) => CacheKey.FromString("item:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>What a generated wrapper does: the index first, then the canonical key.</summary>
    private string Get(int id)
    {
        if (_index.TryGet<string>(new ValueTuple<int>(id), out var hit))
        {
            return hit;
        }

        return _index.GetOrCreate(Key(id).Canonical, new ValueTuple<int>(id), (Self: this, Id: id), static s => s.Self.Compute(s.Id), Options);
    }

    private string Compute(int id) => $"item {id} #{++_computed}";

    [Fact]
    public void The_index_serves_an_entry_after_one_call_found_it_by_its_key_and_counts_its_hits()
    {
        Assert.Equal("item 1 #1", Get(1));
        Assert.False(_index.TryGet<string>(new ValueTuple<int>(1), out _));
        Assert.Equal("item 1 #1", Get(1));

        Assert.True(_index.TryGet<string>(new ValueTuple<int>(1), out var hit));
        Assert.Equal("item 1 #1", hit);
        Assert.Equal(1, _index.Count);
        Assert.Equal(2, _cache.GetStats()["memory"]!.Hits);
    }

    [Fact]
    public async Task An_entry_replaced_deleted_or_invalidated_leaves_the_index()
    {
        Get(1);
        Get(1);
        _cache.Set(Key(1), "replaced", Options);
        Assert.False(_index.TryGet<string>(new ValueTuple<int>(1), out _));
        Assert.Equal("replaced", Get(1));
        Assert.Equal("replaced", Get(1));
        Assert.Equal(1, _index.Count);

        Assert.True(_cache.Delete(Key(1)));
        Assert.Equal(0, _index.Count);
        Assert.Equal("item 1 #2", Get(1));
        Get(1);

        await _cache.InvalidateTagAsync("items");
        Assert.Equal(0, _index.Count);
        Assert.Equal("item 1 #3", Get(1));
    }

    [Fact]
    public void An_expired_entry_is_not_served_and_a_cleared_tier_empties_the_index()
    {
        Get(1);
        Get(1);
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.False(_index.TryGet<string>(new ValueTuple<int>(1), out _));
        Assert.Equal("item 1 #2", Get(1));

        Get(2);
        Get(2);
        _cache.Clear();
        Assert.Equal(0, _index.Count);
    }

    [Fact]
    public void Evicted_entries_leave_the_index()
    {
        using var small = new CacheManager(TestOptions.Create(_time, configure: o => o.MemoryCacheSizeMb = 1));
        var index = small.GetMemoryIndex<ValueTuple<int>>(new object());
        // Random bytes: LZ4 cannot shrink them, so 40 of them overflow a 1 MB tier.
        var value = new byte[100_000];
        new Random(7).NextBytes(value);
        for (var i = 0; i < 40; i++)
        {
            var key = Key(i).Canonical;
            index.GetOrCreate(key, new ValueTuple<int>(i), value, static v => v, Options);
            index.GetOrCreate(key, new ValueTuple<int>(i), value, static v => v, Options);
        }

        Assert.True(small.MemoryStore!.Evictions > 0);
        Assert.InRange(index.Count, 1, small.MemoryStore.Count);
    }

    [Fact]
    public void One_site_has_one_index_per_engine()
    {
        var site = new object();
        Assert.Same(_cache.GetMemoryIndex<ValueTuple<int>>(site), _cache.GetMemoryIndex<ValueTuple<int>>(site));
        Assert.NotSame(_index, _cache.GetMemoryIndex<ValueTuple<int>>(site));
    }
}
