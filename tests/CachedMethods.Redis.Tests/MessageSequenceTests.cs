using CachedMethods.Redis.Internal;

namespace CachedMethods.Redis.Tests;

/// <summary>How a process tells that a numbered coherence message never arrived (issue 9, case 6).</summary>
public sealed class MessageSequenceTests
{
    [Fact]
    public void Messages_that_arrive_out_of_order_or_late_within_one_interval_are_not_a_loss()
    {
        var sequence = new MessageSequence();
        Assert.False(sequence.Check(10));
        sequence.Received(12);
        Assert.False(sequence.Check(13)); // 11 and 13 published since the last check: not overdue yet
        sequence.Received(13);
        sequence.Received(11);
        Assert.False(sequence.Check(13));
        Assert.False(sequence.Check(13));
    }

    [Fact]
    public void A_message_counted_at_the_previous_check_and_still_missing_is_reported_once()
    {
        var sequence = new MessageSequence();
        Assert.False(sequence.Check(0));
        sequence.Received(2);
        Assert.False(sequence.Check(2));
        Assert.True(sequence.Check(2)); // 1 never came
        Assert.False(sequence.Check(3));
        sequence.Received(3);
        Assert.False(sequence.Check(3));
    }

    [Fact]
    public void A_counter_that_went_back_is_a_loss()
    {
        var sequence = new MessageSequence();
        Assert.False(sequence.Check(50));
        sequence.Received(51);
        Assert.True(sequence.Check(2)); // the store lost its counter (and with it, maybe, messages)
        sequence.Received(3);
        Assert.False(sequence.Check(3));
    }
}
