using CachedMethods.Internal;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>What a process owes the fleet while Redis does not answer (issue 9, case 6): kept per subject, merged, bounded.</summary>
public sealed class FleetBacklogTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void A_subject_owed_twice_is_one_debt_that_keeps_the_record_and_the_later_time()
    {
        var backlog = new FleetBacklog();
        Assert.Equal((true, false), backlog.Owe(new CoherenceMessage(CoherenceKind.Tag, "t", 100), recorded: false));
        Assert.Equal((false, false), backlog.Owe(new CoherenceMessage(CoherenceKind.Tag, "t", 90), recorded: true));
        Assert.Equal((false, false), backlog.Owe(new CoherenceMessage(CoherenceKind.Remove, "k1"), recorded: false, "id1", Hour));
        backlog.Owe(new CoherenceMessage(CoherenceKind.Remove, "k1"), recorded: true);

        var debts = backlog.Snapshot();
        Assert.Equal(2, debts.Length);
        var tag = Assert.Single(debts, d => d.Message.Kind == CoherenceKind.Tag);
        Assert.False(tag.Recorded); // a publish that failed after the record failed still owes the record
        Assert.Equal(100, tag.Message.At);
        var removal = Assert.Single(debts, d => d.Message.Kind == CoherenceKind.Remove);
        Assert.False(removal.Recorded);
        Assert.Equal("id1", removal.StorageId);
        Assert.Equal(Hour, removal.RecordLifetime);
    }

    [Fact]
    public void Only_removals_clears_and_tag_times_are_owed()
    {
        var backlog = new FleetBacklog();
        Assert.Equal((false, false), backlog.Owe(new CoherenceMessage(CoherenceKind.Released, "id"), recorded: true));
        Assert.Equal(0, backlog.Count);
    }

    [Fact]
    public void A_debt_owed_again_while_it_was_being_paid_stays_owed()
    {
        var backlog = new FleetBacklog();
        backlog.Owe(new CoherenceMessage(CoherenceKind.Remove, "k"), recorded: false, "id", Hour);
        var read = Assert.Single(backlog.Snapshot());
        backlog.Recorded(read, read.Message);
        Assert.True(Assert.Single(backlog.Snapshot()).Recorded);

        backlog.Owe(new CoherenceMessage(CoherenceKind.Remove, "k"), recorded: false, "id", Hour);
        backlog.Paid(read); // the newer debt is not the one that was paid
        var owed = Assert.Single(backlog.Snapshot());
        Assert.False(owed.Recorded); // the second removal still needs its record

        backlog.Paid(owed);
        Assert.Equal(0, backlog.Count);
    }

    [Fact]
    public void Past_its_bound_everything_owed_becomes_one_fleet_wide_clear()
    {
        var backlog = new FleetBacklog();
        for (var i = 0; i < FleetBacklog.Capacity; i++)
        {
            Assert.False(backlog.Owe(new CoherenceMessage(CoherenceKind.Remove, $"k{i}"), recorded: false, $"id{i}", Hour).Overflowed);
        }

        Assert.True(backlog.Owe(new CoherenceMessage(CoherenceKind.Tag, "t", 5), recorded: false).Overflowed);
        var clear = Assert.Single(backlog.Snapshot());
        Assert.Equal(CoherenceKind.Clear, clear.Message.Kind);
        Assert.False(clear.Recorded); // the horizon itself is owed: it voids every copy the debts were about

        backlog.Owe(new CoherenceMessage(CoherenceKind.Remove, "later"), recorded: false, "later", Hour);
        Assert.Equal(2, backlog.Count);
        Assert.Equal(CoherenceKind.Clear, backlog.Snapshot()[0].Message.Kind); // oldest first
    }
}
