using System.Globalization;
using System.Text;

namespace CachedMethods;

/// <summary>A snapshot of the engine's counters, from <see cref="CacheManager.GetStats"/>.</summary>
/// <param name="TotalRequests">Reads and get-or-create calls.</param>
/// <param name="TotalHits">Requests answered by any tier.</param>
/// <param name="Environment">Where the process runs.</param>
/// <param name="Tiers">One line per enabled tier, top first.</param>
public sealed record CacheStats(long TotalRequests, long TotalHits, CacheEnvironment Environment, IReadOnlyList<TierStats> Tiers)
{
    /// <summary>Hits over requests, 0 when there were none.</summary>
    public double OverallHitRate => TotalRequests == 0 ? 0 : (double)TotalHits / TotalRequests;

    /// <summary>The tier named <paramref name="name"/> ("memory", "redis", "disk", "s3"), or <see langword="null"/>.</summary>
    public TierStats? this[string name] => Tiers.FirstOrDefault(t => t.Name == name);

    /// <summary>A readable table: one row per tier, then the totals.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{"tier",-8} {"hits",10} {"misses",10} {"hit rate",9} {"entries",9} {"size MB",9} {"errors",7} {"skipped",8}  state");
        foreach (var tier in Tiers)
        {
            var entries = tier.Entries < 0 ? "?" : tier.Entries.ToString(c);
            var size = tier.SizeBytes < 0 ? "?" : tier.SizeMb.ToString("F2", c);
            text.AppendLine(c, $"{tier.Name,-8} {tier.Hits,10} {tier.Misses,10} {tier.HitRate,9:P1} {entries,9} {size,9} {tier.Errors,7} {tier.SkippedBySize,8}  {(tier.Available ? "up" : "down")}");
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
    /// <summary>
    /// Calls to this tier that timed out (also counted in <see cref="Errors"/>), and operations not started because
    /// the call they belonged to had spent its time in this tier (S3: one timeout per call, see docs/reliability.md).
    /// </summary>
    public long TimedOut { get; init; }

    /// <summary>Hits over reads that reached this tier.</summary>
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    /// <summary><see cref="SizeBytes"/> in MB (-1 when unknown).</summary>
    public double SizeMb => SizeBytes < 0 ? -1 : SizeBytes / (1024.0 * 1024.0);
}
