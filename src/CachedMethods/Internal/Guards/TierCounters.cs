namespace CachedMethods.Internal;

/// <summary>Hit, miss, error and size-skip counts of one tier, updated without locks; hits, the count of every memory hit, are striped.</summary>
internal sealed class TierCounters
{
    private long _misses;
    private long _errors;
    private long _skipped;
    private long _timeouts;

    public long Hits => HitCounter.Value;
    public long Misses => Interlocked.Read(ref _misses);
    public long Errors => Interlocked.Read(ref _errors);
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Errors that were timeouts (a part of <see cref="Errors"/>).</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    public StripedCounter HitCounter { get; } = new();

    public void Hit() => HitCounter.Increment();
    public void Miss() => Interlocked.Increment(ref _misses);
    public void Error() => Interlocked.Increment(ref _errors);
    public void Skip() => Interlocked.Increment(ref _skipped);

    public void Timeout()
    {
        Interlocked.Increment(ref _errors);
        Interlocked.Increment(ref _timeouts);
    }

    public void Reset()
    {
        HitCounter.Reset();
        Interlocked.Exchange(ref _misses, 0);
        Interlocked.Exchange(ref _errors, 0);
        Interlocked.Exchange(ref _skipped, 0);
        Interlocked.Exchange(ref _timeouts, 0);
    }
}
