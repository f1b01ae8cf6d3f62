namespace CachedMethods.Internal;

/// <summary>
/// Opens after <see cref="FailureThreshold"/> consecutive failures, so a dead store costs callers
/// nothing but a flag check. After the break one call is let through as a probe: its success closes the
/// circuit, its failure opens it again for twice as long, up to <see cref="MaxBreak"/>.
/// </summary>
/// <remarks>
/// Only a failed probe lengthens the break. Calls already in flight when the circuit opened fail too, in a
/// burst; counting each of them used to take the break to 30 s within a second, so a store that came back
/// after a 3 s blip stayed unused for 20 s (issue 14, item 1). The short maximum bounds how long after a
/// store's return the engine goes on skipping it.
/// </remarks>
internal sealed class CircuitBreaker(TimeProvider time)
{
    public const int FailureThreshold = 3;
    public static readonly TimeSpan MinBreak = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBreak = TimeSpan.FromSeconds(2);

    private int _consecutiveFailures;
    private long _openUntilTimestamp;
    private long _breakTicks;
    private int _probing;

    public bool IsOpen => Volatile.Read(ref _openUntilTimestamp) != 0;

    /// <summary>Whether a call may go to the store now; <paramref name="isProbe"/> when it is the one probe of an open circuit.</summary>
    public bool AllowCall(out bool isProbe)
    {
        isProbe = false;
        var openUntil = Volatile.Read(ref _openUntilTimestamp);
        if (openUntil == 0)
        {
            return true;
        }

        isProbe = time.GetTimestamp() >= openUntil && Interlocked.CompareExchange(ref _probing, 1, 0) == 0;
        return isProbe;
    }

    /// <summary>Whether a call may go to the store now.</summary>
    public bool AllowCall() => AllowCall(out _);

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
    /// <param name="wasProbe">Whether the failed call was the probe <see cref="AllowCall(out bool)"/> let through.</param>
    public bool OnFailure(bool wasProbe)
    {
        if (wasProbe)
        {
            var next = Math.Min(Interlocked.Read(ref _breakTicks) * 2, MaxBreak.Ticks);
            Open(Math.Max(next, MinBreak.Ticks));
            Volatile.Write(ref _probing, 0);
            return true;
        }

        if (IsOpen)
        {
            // Started before the circuit opened: it says nothing new about the store.
            return false;
        }

        if (Interlocked.Increment(ref _consecutiveFailures) < FailureThreshold)
        {
            return false;
        }

        // Only the call that crosses the threshold opens it; the rest of a burst finds it open.
        if (Interlocked.CompareExchange(ref _breakTicks, MinBreak.Ticks, 0) != 0 && IsOpen)
        {
            return false;
        }

        Open(MinBreak.Ticks);
        return true;
    }

    /// <summary>Records a failure of a call that was not a probe.</summary>
    public bool OnFailure() => OnFailure(wasProbe: false);

    private void Open(long breakTicks)
    {
        Interlocked.Exchange(ref _breakTicks, breakTicks);
        var until = time.GetTimestamp() + (long)(TimeSpan.FromTicks(breakTicks).TotalSeconds * time.TimestampFrequency);
        Interlocked.Exchange(ref _openUntilTimestamp, until);
    }
}
