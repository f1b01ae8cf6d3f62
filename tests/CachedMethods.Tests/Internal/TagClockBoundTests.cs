using CachedMethods.Internal;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Internal;

public class TagClockBoundTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Reading_many_distinct_tags_keeps_at_most_the_bound()
    {
        var clock = new TagClock(memory: null, _time);
        for (var i = 0; i < 30_000; i++)
        {
            // What reading doc{i}:page1 used to leave behind for the life of the process.
            clock.Learn($"\u001fprefix:doc{i}:", TagClock.Never);
        }

        Assert.InRange(clock.Count, 1, TagClock.MaxTags);
    }

    [Fact]
    public void A_real_invalidation_outlives_never_answers_when_pruned()
    {
        var clock = new TagClock(memory: null, _time);
        clock.Invalidate("kept", 1_000);
        for (var i = 0; i < TagClock.MaxTags + 1; i++)
        {
            clock.Learn($"never{i}", TagClock.Never);
        }

        Assert.True(clock.IsKnown("kept"));
        Assert.InRange(clock.Count, 1, TagClock.MaxTags);
    }

    [Fact]
    public void A_learned_time_is_asked_again_after_its_freshness()
    {
        var clock = new TagClock(memory: null, _time);
        clock.Learn("t", TagClock.Never);
        Assert.True(clock.IsKnown("t"));

        _time.Advance(TagClock.Freshness);

        Assert.False(clock.IsKnown("t"));
    }
}
