namespace CachedMethods.Internal;

/// <summary>
/// What this process still owes the fleet (issue 9, case 6): removals, tag times and clears that Redis did not
/// take (down, circuit open, timed out), and coherence messages that could not be published. Each is kept until
/// Redis answers and then sent by <see cref="RedisFleetCoordinator"/>, so a delete made during an outage still
/// reaches every process, and every tier, once Redis is back.
/// </summary>
/// <remarks>
/// One debt per subject (a key, a tag, the clear): a later debt of the same subject merges into it, keeping the
/// record if either still needs it and the later time. Bounded: past <see cref="Capacity"/> subjects, everything
/// owed becomes one fleet-wide clear, whose horizon voids every copy created before it, whatever the debts were.
/// Each debt carries a version, so paying one that changed meanwhile leaves the newer one owed.
/// </remarks>
internal sealed class FleetBacklog
{
    public const int Capacity = 10_000;

    private const string ClearSubject = "c";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FleetDebt> _debts = new(StringComparer.Ordinal);
    private long _version;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _debts.Count;
            }
        }
    }

    /// <summary>
    /// Records that <paramref name="message"/> is owed, and, unless <paramref name="recorded"/>, the record in Redis
    /// it announces (a key's removal record, a tag's time, the horizon). Only removals, clears and tag times are owed.
    /// </summary>
    /// <param name="message">The message owed.</param>
    /// <param name="recorded">Whether the record the message announces is in Redis already.</param>
    /// <param name="storageId">The key's storage id, for a removal whose record is owed.</param>
    /// <param name="recordLifetime">How long that removal record must live.</param>
    /// <returns>Whether this started an episode (nothing was owed before), and whether the bound was just passed.</returns>
    public (bool First, bool Overflowed) Owe(CoherenceMessage message, bool recorded, string? storageId = null, TimeSpan recordLifetime = default)
    {
        if (message.Kind is not (CoherenceKind.Remove or CoherenceKind.Clear or CoherenceKind.Tag))
        {
            return (false, false);
        }

        var subject = message.Kind switch
        {
            CoherenceKind.Remove => "r:" + message.Value,
            CoherenceKind.Tag => "t:" + message.Value,
            _ => ClearSubject,
        };
        var debt = new FleetDebt(subject, message, recorded, storageId, recordLifetime, 0);
        lock (_gate)
        {
            var first = _debts.Count == 0;
            var overflowed = false;
            if (_debts.TryGetValue(subject, out var owed))
            {
                debt = owed.Merge(debt);
            }
            else if (_debts.Count >= Capacity)
            {
                // Too many to keep one by one: a fleet-wide clear covers every one of them.
                _debts.Clear();
                debt = new FleetDebt(ClearSubject, new CoherenceMessage(CoherenceKind.Clear, "", 0), Recorded: false, null, default, 0);
                overflowed = true;
            }

            _debts[debt.Subject] = debt with { Version = ++_version };
            return (first, overflowed);
        }
    }

    /// <summary>The debts now, oldest first.</summary>
    public FleetDebt[] Snapshot()
    {
        lock (_gate)
        {
            var debts = _debts.Values.ToArray();
            Array.Sort(debts, static (a, b) => a.Version.CompareTo(b.Version));
            return debts;
        }
    }

    /// <summary>Notes that <paramref name="debt"/>'s record was written; its message is still owed.</summary>
    public void Recorded(FleetDebt debt, CoherenceMessage message)
    {
        lock (_gate)
        {
            if (_debts.TryGetValue(debt.Subject, out var owed) && owed.Version == debt.Version)
            {
                _debts[debt.Subject] = owed with { Message = message, Recorded = true };
            }
        }
    }

    /// <summary>Forgets <paramref name="debt"/>, unless it was owed again since it was read.</summary>
    public void Paid(FleetDebt debt)
    {
        lock (_gate)
        {
            if (_debts.TryGetValue(debt.Subject, out var owed) && owed.Version == debt.Version)
            {
                _debts.Remove(debt.Subject);
            }
        }
    }
}

/// <summary>One subject owed to the fleet: its message, and whether the record it announces is in Redis yet.</summary>
internal readonly record struct FleetDebt(string Subject, CoherenceMessage Message, bool Recorded, string? StorageId, TimeSpan RecordLifetime, long Version)
{
    /// <summary>This debt owed again: the record if either still needs it, the later time, the longer record life.</summary>
    public FleetDebt Merge(FleetDebt later) => this with
    {
        Message = Message with { At = Math.Max(Message.At, later.Message.At) },
        Recorded = Recorded && later.Recorded,
        StorageId = StorageId ?? later.StorageId,
        RecordLifetime = RecordLifetime > later.RecordLifetime ? RecordLifetime : later.RecordLifetime,
    };
}
