using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace CachedMethods.Benchmarks.Infrastructure;

/// <summary>
/// The other caches, configured with the engine's semantics: the same TTL, the same bound, no logger,
/// no distributed level, statistics and tag bookkeeping off.
/// </summary>
public static class OtherCaches
{
    /// <summary>An <see cref="IMemoryCache"/> bounded like the engine; entries must give a size.</summary>
    public static MemoryCache MemoryCache() => new(new MemoryCacheOptions
    {
        SizeLimit = BenchmarkSettings.MemoryBoundBytes,
        TrackStatistics = false,
    });

    /// <summary>The entry options every <see cref="IMemoryCache"/> write uses.</summary>
    public static MemoryCacheEntryOptions MemoryEntry { get; } = new()
    {
        AbsoluteExpirationRelativeToNow = BenchmarkSettings.Ttl,
        Size = BenchmarkSettings.EntrySizeBytes,
    };

    /// <summary>
    /// FusionCache over its own bounded memory cache. Tagging is disabled: with it on, every read also
    /// checks the tag-invalidation entries, a feature the engine's hit path does not have.
    /// </summary>
    public static FusionCache FusionCache() => new(
        new FusionCacheOptions
        {
            DisableTagging = true,
            DefaultEntryOptions = new FusionCacheEntryOptions
            {
                Duration = BenchmarkSettings.Ttl,
                Size = BenchmarkSettings.EntrySizeBytes,
            },
        },
        MemoryCache());

    /// <summary>
    /// HybridCache with only its in-process level (no IDistributedCache is registered), over a bounded
    /// memory cache. The caller disposes the provider.
    /// </summary>
    public static (HybridCache Cache, ServiceProvider Provider) HybridCache()
    {
        var services = new ServiceCollection();
        services.AddMemoryCache(static o =>
        {
            o.SizeLimit = BenchmarkSettings.MemoryBoundBytes;
            o.TrackStatistics = false;
        });
        services.AddHybridCache(static o =>
        {
            o.ReportTagMetrics = false;
            o.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = BenchmarkSettings.Ttl,
                LocalCacheExpiration = BenchmarkSettings.Ttl,
            };
        });
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<HybridCache>(), provider);
    }
}
