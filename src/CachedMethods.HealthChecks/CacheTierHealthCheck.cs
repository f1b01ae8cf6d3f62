using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CachedMethods.HealthChecks;

/// <summary>
/// The health of one tier of a <see cref="CacheManager"/>. The cache never fails a call because a tier is
/// down (it serves from the tiers left, or runs the method), so a tier that is down, failing or shut off by
/// its circuit reports <see cref="HealthStatus.Degraded"/>, never Unhealthy; a tier that is not configured
/// reports Healthy. See docs/observability.md.
/// </summary>
/// <remarks>Thread-safe; reads the engine's counters and asks no store anything.</remarks>
public sealed class CacheTierHealthCheck : IHealthCheck
{
    private readonly Func<CacheManager> _cache;
    private readonly CacheTiers _tier;

    /// <summary>Checks <paramref name="tier"/> of the engine <paramref name="cache"/> returns (resolved on each check).</summary>
    /// <param name="cache">Gives the engine, for example from the service provider.</param>
    /// <param name="tier"><see cref="CacheTiers.Memory"/>, <see cref="CacheTiers.Redis"/> or <see cref="CacheTiers.Persistent"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="tier"/> is not exactly one tier.</exception>
    public CacheTierHealthCheck(Func<CacheManager> cache, CacheTiers tier)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (tier is not (CacheTiers.Memory or CacheTiers.Redis or CacheTiers.Persistent))
        {
            throw new ArgumentException($"Check one tier at a time, not {tier}.", nameof(tier));
        }

        _cache = cache;
        _tier = tier;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cache = _cache();
        return Task.FromResult(_tier switch
        {
            CacheTiers.Memory => CheckMemory(cache),
            CacheTiers.Redis => CheckStore(cache, cache.Options.Redis.IsConfigured, "redis", "Redis"),
            _ => CheckStore(cache, cache.Options.S3.IsConfigured || cache.Options.DiskCacheSizeGb > 0, cache.Options.S3.IsConfigured ? "s3" : "disk", "the persistent tier"),
        });
    }

    private static HealthCheckResult CheckMemory(CacheManager cache)
    {
        if (cache.MemoryStore is not { } memory)
        {
            return HealthCheckResult.Healthy("The memory tier is off.");
        }

        var data = new Dictionary<string, object>
        {
            ["entries"] = memory.Count,
            ["bytes"] = memory.SizeBytes,
            ["capacityBytes"] = memory.CapacityBytes,
            ["evictions"] = memory.Evictions,
        };
        return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"Memory tier: {memory.Count} entries, {memory.SizeBytes / (1024.0 * 1024.0):F1} of {memory.CapacityBytes / (1024.0 * 1024.0):F0} MB."), data);
    }

    private static HealthCheckResult CheckStore(CacheManager cache, bool configured, string name, string description)
    {
        if (!configured)
        {
            return HealthCheckResult.Healthy($"{Capitalized(description)} is not configured.");
        }

        var tier = cache.GetStats()[name];
        if (tier is null)
        {
            return HealthCheckResult.Degraded($"{Capitalized(description)} is configured but could not be created (see the log); the cache serves without it.");
        }

        var data = new Dictionary<string, object>
        {
            ["hits"] = tier.Hits,
            ["misses"] = tier.Misses,
            ["errors"] = tier.Errors,
            ["timeouts"] = tier.Timeouts,
            ["circuitOpen"] = tier.CircuitOpen,
        };
        if (tier.Available)
        {
            return HealthCheckResult.Healthy($"{Capitalized(description)} ({name}) answers.", data);
        }

        return HealthCheckResult.Degraded(tier.CircuitOpen
            ? $"{Capitalized(description)} ({name}) failed repeatedly and its circuit is open; the cache serves without it until a probe succeeds."
            : $"{Capitalized(description)} ({name}) is not reachable; the cache serves without it until it reconnects.", data: data);
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
