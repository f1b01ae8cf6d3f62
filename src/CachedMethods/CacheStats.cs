using System.Globalization;
using System.Text;

namespace CachedMethods;

/// <summary>A snapshot of the engine's counters, from <see cref="CacheManager.GetStats"/>.</summary>
/// <param name="TotalRequests">Reads and get-or-create calls: requests to cached methods (and to the cache API), not tier lookups.</param>
/// <param name="TotalHits">Requests answered by any tier.</param>
/// <param name="Environment">Where the process runs.</param>
/// <param name="Tiers">One line per enabled tier, top first.</param>
public sealed record CacheStats(long TotalRequests, long TotalHits, CacheEnvironment Environment, IReadOnlyList<TierStats> Tiers)
{
    /// <summary>Hits over requests, 0 when there were none.</summary>
    public double OverallHitRate => TotalRequests == 0 ? 0 : (double)TotalHits / TotalRequests;

    /// <summary>One line per cached method that was called, by name (<c>Ocr.IOcrService.RecognizeAsync</c>); calls with keys of the caller's own are <c>(direct)</c>.</summary>
    public IReadOnlyList<MethodStats> Methods { get; init; } = [];

    /// <summary>The method named <paramref name="name"/> (type and method, no parameter list), or <see langword="null"/>.</summary>
    public MethodStats? Method(string name) => Methods.FirstOrDefault(m => m.Name == name);

    /// <summary>The tier named <paramref name="name"/> ("memory", "redis", "disk", "s3"), or <see langword="null"/>.</summary>
    public TierStats? this[string name] => Tiers.FirstOrDefault(t => t.Name == name);

    /// <summary>A readable table: one row per cached method (requests), one row per tier (lookups), then the totals.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        if (Methods.Count > 0)
        {
            text.AppendLine(c, $"{"method",-40} {"requests",10} {"hits",10} {"hit rate",9} {"memory",10} {"lower",8} {"computed",9}");
            foreach (var method in Methods)
            {
                text.AppendLine(c, $"{method.Name,-40} {method.Requests,10} {method.Hits,10} {method.HitRate,9:P1} {method.MemoryHits,10} {method.LowerTierHits,8} {method.FactoryRuns,9}");
            }
        }

        text.AppendLine(c, $"{"tier",-8} {"hits",10} {"misses",10} {"hit rate",9} {"entries",9} {"size MB",9} {"errors",7} {"skipped",8}  state");
        foreach (var tier in Tiers)
        {
            var entries = tier.Entries < 0 ? "?" : tier.Entries.ToString(c);
            var size = tier.SizeBytes < 0 ? "?" : tier.SizeMb.ToString("F2", c);
            var state = tier.Available ? "up" : tier.CircuitOpen ? "circuit open" : "down";
            text.AppendLine(c, $"{tier.Name,-8} {tier.Hits,10} {tier.Misses,10} {tier.HitRate,9:P1} {entries,9} {size,9} {tier.Errors,7} {tier.SkippedBySize,8}  {state}");
        }

        text.Append(c, $"{TotalRequests} requests, {OverallHitRate:P1} served from cache ({Environment})");
        return text.ToString();
    }
}

/// <summary>The counters of one tier.</summary>
/// <param name="Name">"memory", "redis", "disk" or "s3".</param>
/// <param name="Hits">Reads this tier answered.</param>
/// <param name="Misses">Reads that reached this tier and found nothing usable.</param>
/// <param name="Errors">Failed or timed-out calls, each also a miss.</param>
/// <param name="Entries">Entries held, -1 when the store cannot tell cheaply.</param>
/// <param name="SizeBytes">Bytes held, -1 when the store cannot tell cheaply.</param>
/// <param name="Available">Whether the tier is serving calls now.</param>
/// <param name="SkippedBySize">Values not stored in (or promoted into) this tier because they exceeded its size limit.</param>
public sealed record TierStats(string Name, long Hits, long Misses, long Errors, long Entries, long SizeBytes, bool Available, long SkippedBySize = 0)
{
    /// <summary>Hits over reads that reached this tier.</summary>
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    /// <summary><see cref="SizeBytes"/> in MB (-1 when unknown).</summary>
    public double SizeMb => SizeBytes < 0 ? -1 : SizeBytes / (1024.0 * 1024.0);

    /// <summary>
    /// Errors that were timeouts (a part of <see cref="Errors"/>), including operations not started because the miss
    /// they belonged to had spent its time in this tier (S3: one timeout per miss, see docs/reliability.md).
    /// </summary>
    public long Timeouts { get; init; }

    /// <summary>Whether repeated failures have opened the tier's circuit (it is then not <see cref="Available"/>).</summary>
    public bool CircuitOpen { get; init; }

    /// <summary>Entries evicted to stay within the tier's bound (memory; 0 for other tiers).</summary>
    public long Evictions { get; init; }
}

/// <summary>The requests to one cached method: how many there were and what served them.</summary>
/// <param name="Name">The declaring type and method (<c>Ocr.IOcrService.RecognizeAsync</c>), overloads together; <c>(direct)</c> for keys of the caller's own.</param>
/// <param name="Requests">Calls made.</param>
/// <param name="MemoryHits">Calls the memory tier answered.</param>
/// <param name="LowerTierHits">Calls a tier below memory (Redis, disk, S3) answered.</param>
/// <param name="FactoryRuns">Times the method's own code ran, on a miss (a miss that waited for a computation already running does not run it again).</param>
/// <param name="FactoryErrors">Runs that threw or timed out.</param>
public sealed record MethodStats(string Name, long Requests, long MemoryHits, long LowerTierHits, long FactoryRuns, long FactoryErrors)
{
    /// <summary>Calls answered by any tier.</summary>
    public long Hits => MemoryHits + LowerTierHits;

    /// <summary>Calls no tier answered.</summary>
    public long Misses => Requests - Hits;

    /// <summary>Hits over calls, 0 when there were none.</summary>
    public double HitRate => Requests == 0 ? 0 : (double)Hits / Requests;
}
