using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CachedMethods.Redis;

/// <summary>Turns the Redis tier on for a <see cref="CacheOptions"/>.</summary>
public static class RedisCacheOptionsExtensions
{
    /// <summary>
    /// Makes the engine build a <see cref="RedisCacheStore"/>: over the <see cref="IConnectionMultiplexer"/> registered
    /// in <see cref="CacheOptions.Services"/> when there is one, otherwise from <see cref="CacheOptions.Redis"/>
    /// whenever <see cref="RedisSettings.IsConfigured"/> is true (<c>REDIS_URL</c> or <c>REDIS_HOST</c> set).
    /// </summary>
    /// <remarks>
    /// <para>
    /// A registered multiplexer turns the tier on without a URL. The store uses its default database and
    /// <see cref="RedisSettings.KeyPrefix"/>, and never closes it: the container does.
    /// </para>
    /// <para>
    /// If Redis is down when the engine starts, the store is still built and reports itself unavailable;
    /// the engine skips the tier until the background reconnect succeeds. A malformed URL throws a
    /// <see cref="CacheConfigurationException"/> when the engine builds the store.
    /// </para>
    /// </remarks>
    /// <param name="options">The options to change.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static CacheOptions UseRedis(this CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ProvidedConnection(options) is not null)
        {
            options.Redis.HasProvidedConnection = true;
        }

        options.RedisStoreFactory = static (o, loggerFactory) =>
        {
            var logger = loggerFactory.CreateLogger<RedisCacheStore>();
            return ProvidedConnection(o) is { } connection
                ? new RedisCacheStore(connection, o.Redis.KeyPrefix, database: -1, logger)
                : new RedisCacheStore(o.Redis, logger);
        };
        return options;
    }

    private static IConnectionMultiplexer? ProvidedConnection(CacheOptions options) =>
        options.Services?.GetService(typeof(IConnectionMultiplexer)) as IConnectionMultiplexer;
}
