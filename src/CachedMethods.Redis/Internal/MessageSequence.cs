namespace CachedMethods.Redis.Internal;

/// <summary>
/// Which numbered coherence messages this process has received (issue 9, case 6): the highest number below
/// which none is missing, and the numbers seen above it. Messages may arrive out of order (StackExchange.Redis
/// runs channel handlers concurrently), so a hole is only declared a loss at the next check, one check
/// interval after the counter showed the message was published.
/// </summary>
internal sealed class MessageSequence
{
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _ahead = [];
    private long _contiguous;
    private long _checkpoint = -1;

    /// <summary>
    /// Sets the starting point: <paramref name="counter"/> is the store's count read just after subscribing, so every
    /// message numbered above it must arrive here. Without it, the first <see cref="Check"/> cannot know what was
    /// missed before it and reports a loss. True when this call started it (false: started already).
    /// </summary>
    public bool Start(long counter)
    {
        lock (_gate)
        {
            if (_checkpoint >= 0)
            {
                return false;
            }

            Adopt(counter);
            _checkpoint = counter;
            return true;
        }
    }

    /// <summary>Records a received message's number.</summary>
    public void Received(long number)
    {
        lock (_gate)
        {
            if (number > _contiguous)
            {
                _ahead.Add(number);
                Drain();
            }
        }
    }

    /// <summary>
    /// Compares with <paramref name="counter"/>, the store's count of published messages now: true when a
    /// message counted at the previous check has still not arrived, or the counter went back (the store lost
    /// it). A first check with no <see cref="Start"/> before it sets the starting point and reports a loss: a
    /// message may have been lost since the subscription. A loss is reported once: its numbers are then taken
    /// as received.
    /// </summary>
    public bool Check(long counter)
    {
        lock (_gate)
        {
            var missed = false;
            if (_checkpoint < 0)
            {
                Adopt(counter);
                missed = true;
            }
            else if (counter < _checkpoint)
            {
                // Only against the previous check's count: a message may arrive (on its own connection) before the
                // count read with it, which then shows less than has been received without anything going back.
                _contiguous = counter;
                _ahead.Clear();
                missed = true;
            }
            else if (_contiguous < _checkpoint)
            {
                Adopt(_checkpoint);
                missed = true;
            }

            _checkpoint = counter;
            return missed;
        }
    }

    private void Adopt(long number)
    {
        _contiguous = Math.Max(_contiguous, number);
        _ahead.RemoveWhere(n => n <= _contiguous);
        Drain();
    }

    private void Drain()
    {
        while (_ahead.Count > 0 && _ahead.Min == _contiguous + 1)
        {
            _contiguous++;
            _ahead.Remove(_contiguous);
        }
    }
}
