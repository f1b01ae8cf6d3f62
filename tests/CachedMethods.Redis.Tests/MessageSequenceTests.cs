using CachedMethods.Redis.Internal;

namespace CachedMethods.Redis.Tests;

/// <summary>How a process tells that a numbered coherence message never arrived (issue 9, case 6).</summary>
public sealed class MessageSequenceTests
{
    [Fact]
    public void Messages_that_arrive_out_of_order_or_late_within_one_interval_are_not_a_loss()
    {
        var sequence = new MessageSequence();
        sequence.Start(10);
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
        sequence.Start(0);
        Assert.False(sequence.Check(0));
        sequence.Received(2);
        Assert.False(sequence.Check(2));
        Assert.True(sequence.Check(2)); // 1 never came
        Assert.False(sequence.Check(3));
        sequence.Received(3);
        Assert.False(sequence.Check(3));
    }

    [Fact]
    public void A_message_received_before_the_count_read_with_it_is_not_a_loss()
    {
        var sequence = new MessageSequence();
        sequence.Start(50);
        sequence.Received(51); // delivered on the channel's connection before the reply to the count's read
        Assert.False(sequence.Check(50));
        Assert.False(sequence.Check(51));
        Assert.False(sequence.Check(51));
    }

    [Fact]
    public void A_counter_that_went_back_is_a_loss()
    {
        var sequence = new MessageSequence();
        sequence.Start(50);
        Assert.False(sequence.Check(50));
        sequence.Received(51);
        Assert.True(sequence.Check(2)); // the store lost its counter (and with it, maybe, messages)
        sequence.Received(3);
        Assert.False(sequence.Check(3));
    }

    [Fact]
    public void A_message_lost_before_the_first_check_is_reported()
    {
        var sequence = new MessageSequence();
        sequence.Start(7); // the count read just after subscribing
        sequence.Received(9);
        Assert.False(sequence.Check(9)); // 8 published since the start: not overdue yet
        Assert.True(sequence.Check(9)); // 8 never came
        Assert.False(sequence.Check(9));
    }

    [Fact]
    public void Without_a_start_the_first_check_reports_a_loss_and_the_next_ones_do_not()
    {
        var sequence = new MessageSequence();
        sequence.Received(4);
        Assert.True(sequence.Check(4)); // when the subscription started is unknown: anything before now may be lost
        sequence.Received(5);
        Assert.False(sequence.Check(5));
        Assert.False(sequence.Check(5));
    }

    [Fact]
    public void A_start_after_a_check_changes_nothing()
    {
        var sequence = new MessageSequence();
        sequence.Start(3);
        Assert.False(sequence.Check(5));
        sequence.Start(100);
        sequence.Received(4);
        Assert.True(sequence.Check(5)); // 5 never came; the late start did not hide it
    }
}
