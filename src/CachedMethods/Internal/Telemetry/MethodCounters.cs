namespace CachedMethods.Internal;

/// <summary>
/// The counts of one cached method in one engine, created once per method and held by every memory
/// entry of that method, so that a memory hit counts it with one striped increment and nothing else.
/// </summary>
internal sealed class MethodCounters(string name)
{
    private long _pastMemory;
    private long _lowerHits;
    private long _factoryRuns;
    private long _factoryErrors;

    /// <summary>The generated scope name (<c>Ocr.IOcrService.RecognizeAsync</c>) or <see cref="MethodScope.Direct"/>.</summary>
    public string Name { get; } = name;

    /// <summary>Requests answered from memory: the hot path's one count.</summary>
    public StripedCounter MemoryHits { get; } = new();

    /// <summary>Requests the memory tier did not answer.</summary>
    public long PastMemory => Interlocked.Read(ref _pastMemory);

    /// <summary>Requests past memory that a lower tier answered.</summary>
    public long LowerHits => Interlocked.Read(ref _lowerHits);

    public long FactoryRuns => Interlocked.Read(ref _factoryRuns);

    public long FactoryErrors => Interlocked.Read(ref _factoryErrors);

    public long Requests => MemoryHits.Value + PastMemory;

    public long Hits => MemoryHits.Value + LowerHits;

    public void CountPastMemory() => Interlocked.Increment(ref _pastMemory);

    public void CountLowerHit() => Interlocked.Increment(ref _lowerHits);

    public void CountFactoryRun(bool failed)
    {
        Interlocked.Increment(ref _factoryRuns);
        if (failed)
        {
            Interlocked.Increment(ref _factoryErrors);
        }
    }

    public void Reset()
    {
        MemoryHits.Reset();
        Interlocked.Exchange(ref _pastMemory, 0);
        Interlocked.Exchange(ref _lowerHits, 0);
        Interlocked.Exchange(ref _factoryRuns, 0);
        Interlocked.Exchange(ref _factoryErrors, 0);
    }
}
