namespace CachedMethods.Internal;

/// <summary>Hit, miss, error, timeout and size-skip counts of one tier, updated without locks; hits, the count of every memory hit, are striped.</summary>
internal sealed class TierCounters
{
    private long _misses;
    private long _errors;
    private long _skipped;
    private long _timedOut;

    public long Hits => HitCounter.Value;
    public long Misses => Interlocked.Read(ref _misses);
    public long Errors => Interlocked.Read(ref _errors);
    public long Skipped => Interlocked.Read(ref _skipped);
    public long TimedOut => Interlocked.Read(ref _timedOut);

    public StripedCounter HitCounter { get; } = new();

    public void Hit() => HitCounter.Increment();
    public void Miss() => Interlocked.Increment(ref _misses);
    public void Error() => Interlocked.Increment(ref _errors);
    public void Skip() => Interlocked.Increment(ref _skipped);
    public void TimeOut() => Interlocked.Increment(ref _timedOut);

    public void Reset()
    {
        HitCounter.Reset();
        Interlocked.Exchange(ref _misses, 0);
        Interlocked.Exchange(ref _errors, 0);
        Interlocked.Exchange(ref _skipped, 0);
        Interlocked.Exchange(ref _timedOut, 0);
    }
}
