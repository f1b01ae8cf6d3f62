using System.Diagnostics.Metrics;
using CachedMethods.Internal;

namespace CachedMethods;

// Statistics and metrics: one set of counters, kept by the engine's components (the memory entries'
// method counters, each store's guard), read here by GetStats and by the CachedMethods meter.
public sealed partial class CacheManager
{
    /// <summary>Counts of every tier and every cached method since start (or since <see cref="ResetStats"/>).</summary>
    /// <remarks>
    /// A view over the counters the <c>CachedMethods</c> meter publishes (docs/observability.md): requests to a
    /// method are counted apart from the tiers' lookups, so a pass served from memory reads 100 %.
    /// </remarks>
    public CacheStats GetStats()
    {
        var tiers = new List<TierStats>(3);
        if (_memory is not null)
        {
            var counters = _tiers.MemoryCounters;
            tiers.Add(new TierStats("memory", _methods.MemoryHits, counters.Misses, 0, _memory.Count, _memory.SizeBytes, true, counters.Skipped) { Evictions = _memory.Evictions });
        }

        foreach (var store in _tiers.Stores)
        {
            var usage = store.GetUsage();
            var c = store.Counters;
            tiers.Add(new TierStats(store.Name, c.Hits, c.Misses, c.Errors, usage.Entries, usage.Bytes, store.IsUsable, c.Skipped) { Timeouts = c.Timeouts, CircuitOpen = store.Guard.IsCircuitOpen });
        }

        var methods = new List<MethodStats>();
        long requests = 0, hits = 0;
        foreach (var method in _methods.All)
        {
            var stats = new MethodStats(method.Name, method.Requests, method.MemoryHits.Value, method.LowerHits, method.FactoryRuns, method.FactoryErrors);
            requests += stats.Requests;
            hits += stats.Hits;
            if (stats.Requests > 0 || stats.FactoryRuns > 0)
            {
                methods.Add(stats);
            }
        }

        methods.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new CacheStats(requests, hits, CacheEnvironment, tiers) { Methods = methods };
    }

    /// <summary>Sets every counter of <see cref="GetStats"/> back to zero. The meter's counters are the same ones: they restart too.</summary>
    public void ResetStats()
    {
        _tiers.MemoryCounters.Reset();
        foreach (var store in _tiers.Stores)
        {
            store.Counters.Reset();
        }

        _methods.Reset();
    }

    /// <summary>Counts a request that the memory tier did not answer.</summary>
    private void CountPastMemory(CacheKey key, CacheTiers tiers)
    {
        _methods.For(key).CountPastMemory();
        if (_memory is not null && (tiers & CacheTiers.Memory) != 0)
        {
            _tiers.MemoryCounters.Miss();
        }
    }

    /// <summary>Counts a request past memory that a lower tier answered.</summary>
    private void CountLowerHit(CacheKey key) => _methods.For(key).CountLowerHit();

    internal void ObserveRequests(List<Measurement<long>> into)
    {
        foreach (var method in _methods.All)
        {
            var requests = method.Requests;
            if (requests == 0)
            {
                continue;
            }

            var hits = method.Hits;
            into.Add(new(hits, _nameTag, CacheMetrics.Tag(CacheMetrics.MethodTag, method.Name), CacheMetrics.Tag(CacheMetrics.OutcomeTag, "hit")));
            into.Add(new(requests - hits, _nameTag, CacheMetrics.Tag(CacheMetrics.MethodTag, method.Name), CacheMetrics.Tag(CacheMetrics.OutcomeTag, "miss")));
        }
    }

    internal void ObserveLookups(List<Measurement<long>> into)
    {
        if (_memory is not null)
        {
            AddLookups(into, "memory", _methods.MemoryHits, _tiers.MemoryCounters.Misses);
        }

        foreach (var store in _tiers.Stores)
        {
            AddLookups(into, store.Name, store.Counters.Hits, store.Counters.Misses);
        }
    }

    internal void ObserveErrors(List<Measurement<long>> into)
    {
        foreach (var store in _tiers.Stores)
        {
            var timeouts = store.Counters.Timeouts;
            into.Add(new(store.Counters.Errors - timeouts, _nameTag, TierTag(store.Name), CacheMetrics.Tag(CacheMetrics.ErrorTypeTag, "error")));
            into.Add(new(timeouts, _nameTag, TierTag(store.Name), CacheMetrics.Tag(CacheMetrics.ErrorTypeTag, "timeout")));
        }
    }

    internal void ObserveSkipped(List<Measurement<long>> into)
    {
        if (_memory is not null)
        {
            into.Add(new(_tiers.MemoryCounters.Skipped, _nameTag, TierTag("memory")));
        }

        foreach (var store in _tiers.Stores)
        {
            into.Add(new(store.Counters.Skipped, _nameTag, TierTag(store.Name)));
        }
    }

    internal void ObserveEvictions(List<Measurement<long>> into)
    {
        if (_memory is not null)
        {
            into.Add(new(_memory.Evictions, _nameTag, TierTag("memory")));
        }
    }

    internal void ObserveCircuits(List<Measurement<long>> into)
    {
        foreach (var store in _tiers.Stores)
        {
            into.Add(new(store.Guard.IsCircuitOpen ? 1 : 0, _nameTag, TierTag(store.Name)));
        }
    }

    internal void ObserveAvailability(List<Measurement<long>> into)
    {
        if (_memory is not null)
        {
            into.Add(new(1, _nameTag, TierTag("memory")));
        }

        foreach (var store in _tiers.Stores)
        {
            into.Add(new(store.IsUsable ? 1 : 0, _nameTag, TierTag(store.Name)));
        }
    }

    internal void ObserveEntries(List<Measurement<long>> into) => ObserveUsage(into, bytes: false);

    internal void ObserveSize(List<Measurement<long>> into) => ObserveUsage(into, bytes: true);

    private void ObserveUsage(List<Measurement<long>> into, bool bytes)
    {
        if (_memory is not null)
        {
            into.Add(new(bytes ? _memory.SizeBytes : _memory.Count, _nameTag, TierTag("memory")));
        }

        foreach (var store in _tiers.Stores)
        {
            var usage = store.GetUsage();
            var value = bytes ? usage.Bytes : usage.Entries;
            if (value >= 0)
            {
                into.Add(new(value, _nameTag, TierTag(store.Name)));
            }
        }
    }

    private void AddLookups(List<Measurement<long>> into, string tier, long hits, long misses)
    {
        into.Add(new(hits, _nameTag, TierTag(tier), CacheMetrics.Tag(CacheMetrics.OutcomeTag, "hit")));
        into.Add(new(misses, _nameTag, TierTag(tier), CacheMetrics.Tag(CacheMetrics.OutcomeTag, "miss")));
    }

    private static KeyValuePair<string, object?> TierTag(string tier) => CacheMetrics.Tag(CacheMetrics.TierTag, tier);
}
