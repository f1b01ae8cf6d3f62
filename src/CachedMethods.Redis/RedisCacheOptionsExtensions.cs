using Microsoft.Extensions.Logging;

namespace CachedMethods.Redis;

/// <summary>Turns the Redis tier on for a <see cref="CacheOptions"/>.</summary>
public static class RedisCacheOptionsExtensions
{
    /// <summary>
    /// Makes the engine build a <see cref="RedisCacheStore"/> from <see cref="CacheOptions.Redis"/>
    /// whenever <see cref="RedisSettings.IsConfigured"/> is true (<c>REDIS_URL</c> or <c>REDIS_HOST</c> set).
    /// </summary>
    /// <remarks>
    /// If Redis is down when the engine starts, the store is still built and reports itself unavailable;
    /// the engine skips the tier until the background reconnect succeeds. A malformed URL throws a
    /// <see cref="CacheConfigurationException"/> when the engine builds the store.
    /// </remarks>
    /// <param name="options">The options to change.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static CacheOptions UseRedis(this CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RedisStoreFactory = static (o, loggerFactory) => new RedisCacheStore(o.Redis, loggerFactory.CreateLogger<RedisCacheStore>());
        return options;
    }
}
