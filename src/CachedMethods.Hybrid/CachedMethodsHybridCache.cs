using Microsoft.Extensions.Caching.Hybrid;

namespace CachedMethods.Hybrid;

/// <summary>
/// Microsoft's abstract <see cref="HybridCache"/>, implemented over a <see cref="CacheManager"/>: code written against
/// <see cref="HybridCache"/> reads and writes the engine's memory, Redis and disk or S3 tiers.
/// </summary>
/// <remarks>
/// <para>
/// Keys are the engine's string keys (<see cref="CacheKey.FromString"/>), so an entry written here is the entry
/// <c>cache.GetAsync&lt;T&gt;(key)</c> reads. Values go through the engine's serializer (MessagePack), not
/// <c>IHybridCacheSerializer&lt;T&gt;</c>. Concurrent callers of one key share one factory run, as with HybridCache;
/// across processes too when <see cref="CacheOptions.DistributedSingleFlight"/> is on.
/// </para>
/// <para>
/// What does not map, and why: <see cref="HybridCacheEntryOptions.LocalCacheExpiration"/> is ignored (an entry has one
/// TTL in every tier, so that a promotion never outlives its source); the read-only and write-only halves of the
/// local and distributed flags act as the whole flag (the engine chooses tiers per entry, not per direction);
/// <see cref="HybridCacheEntryFlags.DisableCompression"/> is ignored (the engine compresses above
/// <see cref="CacheOptions.CompressionThresholdBytes"/>). See docs/hybrid.md.
/// </para>
/// </remarks>
public sealed class CachedMethodsHybridCache : HybridCache
{
    /// <summary>The tag that <see cref="RemoveByTagAsync(string, CancellationToken)"/> reads as "every entry", as HybridCache documents.</summary>
    public const string WildcardTag = "*";

    private readonly CacheManager _cache;

    /// <summary>Wraps <paramref name="cache"/>; the caller keeps ownership of it.</summary>
    public CachedMethodsHybridCache(CacheManager cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <summary>The engine under this cache.</summary>
    public CacheManager Engine => _cache;

    /// <inheritdoc/>
    /// <remarks>
    /// With <see cref="HybridCacheEntryFlags.DisableUnderlyingData"/> the factory never runs: a miss returns
    /// <see langword="default"/> and stores nothing.
    /// </remarks>
    public override async ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        var entry = HybridEntryOptions.ToEngine(options, tags);
        var cacheKey = CacheKey.FromString(key);
        if (HybridEntryOptions.FactoryDisabled(options))
        {
            var found = await _cache.GetAsync<T>(cacheKey, cancellationToken).ConfigureAwait(false);
            return found.HasValue ? found.Value! : default!;
        }

        if (entry.Tiers == CacheTiers.None)
        {
            // Every tier turned off: HybridCache then simply calls the factory.
            return await factory(state, cancellationToken).ConfigureAwait(false);
        }

        return await _cache.GetOrCreateAsync(cacheKey, state, factory, entry, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entry = HybridEntryOptions.ToEngine(options, tags);
        return entry.Tiers == CacheTiers.None
            ? ValueTask.CompletedTask
            : _cache.SetAsync(CacheKey.FromString(key), value, entry, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Removes the entry from every tier, and through Redis from every other process's memory tier.</remarks>
    public override async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _cache.DeleteAsync(CacheKey.FromString(key), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Invalidates the tag in every tier and process (<see cref="CacheManager.InvalidateTagAsync"/>).
    /// <see cref="WildcardTag"/> (<c>*</c>) clears every tier, as HybridCache documents for it.
    /// </remarks>
    public override async ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag == WildcardTag)
        {
            await _cache.ClearAsync(CacheTiers.All, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _cache.InvalidateTagAsync(tag, cancellationToken).ConfigureAwait(false);
    }
}
