namespace CachedMethods.Internal;

/// <summary>
/// Opens after <see cref="FailureThreshold"/> consecutive failures, so a dead store costs callers
/// nothing but a flag check. After the break (doubling from 1 s up to 30 s) one call is let through as
/// a probe; its success closes the circuit.
/// </summary>
internal sealed class CircuitBreaker(TimeProvider time)
{
    public const int FailureThreshold = 3;
    private static readonly TimeSpan MinBreak = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBreak = TimeSpan.FromSeconds(30);

    private int _consecutiveFailures;
    private long _openUntilTimestamp;
    private long _breakTicks;
    private int _probing;

    public bool IsOpen => Volatile.Read(ref _openUntilTimestamp) != 0;

    /// <summary>Whether a call may go to the store now.</summary>
    public bool AllowCall()
    {
        var openUntil = Volatile.Read(ref _openUntilTimestamp);
        if (openUntil == 0)
        {
            return true;
        }

        return time.GetTimestamp() >= openUntil && Interlocked.CompareExchange(ref _probing, 1, 0) == 0;
    }

    /// <summary>Records a success; <see langword="true"/> when it closed an open circuit.</summary>
    public bool OnSuccess()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _probing, 0);
        if (Interlocked.Exchange(ref _openUntilTimestamp, 0) != 0)
        {
            Interlocked.Exchange(ref _breakTicks, 0);
            return true;
        }

        return false;
    }

    /// <summary>Records a failure; <see langword="true"/> when it opened (or re-opened) the circuit.</summary>
    public bool OnFailure()
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        var wasProbing = Interlocked.Exchange(ref _probing, 0) == 1;
        if (failures < FailureThreshold && !wasProbing)
        {
            return false;
        }

        var previous = Interlocked.Read(ref _breakTicks);
        var next = previous == 0 ? MinBreak.Ticks : Math.Min(previous * 2, MaxBreak.Ticks);
        Interlocked.Exchange(ref _breakTicks, next);
        var until = time.GetTimestamp() + (long)(TimeSpan.FromTicks(next).TotalSeconds * time.TimestampFrequency);
        Interlocked.Exchange(ref _openUntilTimestamp, until);
        return true;
    }
}
