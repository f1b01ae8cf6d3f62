using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Tiers;

/// <summary>The memory tier on its own, through its internal surface.</summary>
public class MemoryCacheStoreTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = TestOptions.NewClock();

    private static bool TryGet<T>(MemoryCacheStore tier, CacheKey key, out T value) => tier.TryGet(key.Canonical, key.Hash, out value);

    private static CacheKey Key(int i) => CacheKey.FromString("entry-" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_stored_value_is_a_hit_and_an_unknown_key_a_miss()
    {
        var tier = new MemoryCacheStore(1 << 20, _time);
        tier.Set(Key(1), "one", 10, Minute);

        Assert.True(TryGet(tier, Key(1), out string? value));
        Assert.Equal("one", value);
        Assert.False(TryGet(tier, Key(2), out string? _));
    }

    [Fact]
    public void A_cached_null_is_a_hit()
    {
        var tier = new MemoryCacheStore(1 << 20, _time);
        tier.Set(Key(1), null, 1, Minute);

        Assert.True(TryGet(tier, Key(1), out string? value));
        Assert.Null(value);
        Assert.True(TryGet(tier, Key(1), out int? nullable));
        Assert.Null(nullable);
    }

    [Fact]
    public void A_value_of_another_type_is_a_miss()
    {
        var tier = new MemoryCacheStore(1 << 20, _time);
        tier.Set(Key(1), "text", 10, Minute);

        Assert.False(TryGet(tier, Key(1), out int _));
        Assert.False(TryGet(tier, Key(1), out List<string>? _));
        Assert.True(TryGet(tier, Key(1), out object? boxed));
        Assert.Equal("text", boxed);
    }

    [Fact]
    public void A_bucket_hit_with_another_canonical_key_is_a_miss()
    {
        var tier = new MemoryCacheStore(1 << 20, _time);
        tier.Set(Key(1), "one", 10, Minute);

        // As if Key(2) collided with Key(1) in the 128-bit hash: the canonical bytes still decide.
        Assert.False(tier.TryGet(Key(2).Canonical, Key(1).Hash, out string? _));
    }

    [Fact]
    public void An_entry_expires_after_its_ttl()
    {
        var tier = new MemoryCacheStore(1 << 20, _time);
        tier.Set(Key(1), "one", 10, TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(29.9));
        Assert.True(TryGet(tier, Key(1), out string? _));

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(TryGet(tier, Key(1), out string? _));
        Assert.Equal(0, tier.Count);
        Assert.Equal(0, tier.SizeBytes);
    }

    [Fact]
    public void Size_grows_with_the_serialized_length_and_is_released_on_remove()
    {
        var tier = new MemoryCacheStore(1 << 20, _time);
        tier.Set(Key(1), "small", 100, Minute);
        var small = tier.SizeBytes;

        tier.Set(Key(1), "large", 1_100, Minute);
        Assert.Equal(small + 1_000, tier.SizeBytes);
        Assert.Equal(1, tier.Count);

        Assert.True(tier.Remove(Key(1)));
        Assert.Equal(0, tier.SizeBytes);
        Assert.False(tier.Remove(Key(1)));
    }

    [Fact]
    public void An_entry_larger_than_the_bound_is_not_kept()
    {
        var tier = new MemoryCacheStore(10_000, _time);
        tier.Set(Key(1), "old", 10, Minute);

        tier.Set(Key(1), "huge", 20_000, Minute);

        Assert.False(TryGet(tier, Key(1), out string? _));
        Assert.Equal(0, tier.SizeBytes);
    }

    [Fact]
    public void The_least_recently_used_entries_are_evicted_first()
    {
        var tier = new MemoryCacheStore(10_000, _time);
        for (var i = 0; i < 8; i++)
        {
            tier.Set(Key(i), i, 1_000, Minute);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(TryGet(tier, Key(0), out int _)); // entry 0 is now the most recently used
        _time.Advance(TimeSpan.FromSeconds(1));
        tier.Set(Key(8), 8, 1_000, Minute);
        _time.Advance(TimeSpan.FromSeconds(1));
        tier.Set(Key(9), 9, 1_000, Minute); // over the bound: back to 90%

        Assert.True(tier.SizeBytes <= tier.CapacityBytes);
        Assert.True(tier.Evictions > 0);
        Assert.True(TryGet(tier, Key(0), out int _), "The touched entry was evicted.");
        Assert.False(TryGet(tier, Key(1), out int _), "The least recently used entry survived.");
        Assert.True(TryGet(tier, Key(9), out int _), "The newest entry was evicted.");
    }

    [Fact]
    public void Expired_entries_are_evicted_before_live_ones()
    {
        var tier = new MemoryCacheStore(10_000, _time);
        tier.Set(Key(0), 0, 4_000, TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(1));
        tier.Set(Key(1), 1, 4_000, Minute);
        _time.Advance(TimeSpan.FromSeconds(20)); // entry 0 has expired, entry 1 is older than the next

        tier.Set(Key(2), 2, 4_000, Minute);

        Assert.True(TryGet(tier, Key(1), out int _));
        Assert.True(TryGet(tier, Key(2), out int _));
        Assert.Equal(0, tier.Evictions);
    }

    [Fact]
    public void Clear_removes_everything_and_counts_it()
    {
        var tier = new MemoryCacheStore(1 << 20, _time);
        for (var i = 0; i < 5; i++)
        {
            tier.Set(Key(i), i, 10, Minute);
        }

        Assert.Equal(5, tier.Clear());
        Assert.Equal(0, tier.Count);
        Assert.Equal(0, tier.SizeBytes);
    }
}
