using Microsoft.Extensions.Caching.Hybrid;

namespace CachedMethods.Hybrid;

/// <summary>Turns HybridCache's per-entry options into the engine's <see cref="CacheEntryOptions"/>: the mapping in one place.</summary>
internal static class HybridEntryOptions
{
    private const HybridCacheEntryFlags AnyLocal = HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableLocalCacheWrite;
    private const HybridCacheEntryFlags AnyDistributed = HybridCacheEntryFlags.DisableDistributedCacheRead | HybridCacheEntryFlags.DisableDistributedCacheWrite;

    public static CacheEntryOptions ToEngine(HybridCacheEntryOptions? options, IEnumerable<string>? tags)
    {
        var flags = options?.Flags ?? HybridCacheEntryFlags.None;
        var tiers = CacheTiers.All;
        if ((flags & AnyLocal) != 0)
        {
            tiers &= ~CacheTiers.Memory;
        }

        if ((flags & AnyDistributed) != 0)
        {
            // HybridCache's "distributed cache" is everything below memory: Redis and the persistent tier.
            tiers &= ~(CacheTiers.Redis | CacheTiers.Persistent);
        }

        return new CacheEntryOptions
        {
            Ttl = options?.Expiration,
            Tiers = tiers,
            Tags = tags is null ? null : [.. tags.Where(static t => !string.IsNullOrEmpty(t)).Distinct(StringComparer.Ordinal)],
        };
    }

    public static bool FactoryDisabled(HybridCacheEntryOptions? options) =>
        ((options?.Flags ?? HybridCacheEntryFlags.None) & HybridCacheEntryFlags.DisableUnderlyingData) != 0;
}
