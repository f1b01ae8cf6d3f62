namespace CachedMethods.Internal;

/// <summary>Hit, miss, error and size-skip counts of one tier, updated without locks.</summary>
internal sealed class TierCounters
{
    private long _hits;
    private long _misses;
    private long _errors;
    private long _skipped;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public long Errors => Interlocked.Read(ref _errors);
    public long Skipped => Interlocked.Read(ref _skipped);

    public void Hit() => Interlocked.Increment(ref _hits);
    public void Miss() => Interlocked.Increment(ref _misses);
    public void Error() => Interlocked.Increment(ref _errors);
    public void Skip() => Interlocked.Increment(ref _skipped);

    public void Reset()
    {
        Interlocked.Exchange(ref _hits, 0);
        Interlocked.Exchange(ref _misses, 0);
        Interlocked.Exchange(ref _errors, 0);
        Interlocked.Exchange(ref _skipped, 0);
    }
}
