using CachedMethods.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the CachedMethods health checks.</summary>
public static class CachedMethodsHealthCheckBuilderExtensions
{
    /// <summary>
    /// Adds one check per tier of the <see cref="CachedMethods.CacheManager"/> registered by
    /// <c>services.AddCachedMethods(...)</c>: <c>cachedmethods-memory</c>, <c>cachedmethods-redis</c> and
    /// <c>cachedmethods-persistent</c>. A tier that is down or whose circuit is open reports Degraded, never
    /// Unhealthy: the cache still serves.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="tags">Tags for every check (to filter them on a health endpoint).</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddCachedMethods(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tagList = tags?.ToArray() ?? [];
        foreach (var (name, tier) in new[] { ("memory", CachedMethods.CacheTiers.Memory), ("redis", CachedMethods.CacheTiers.Redis), ("persistent", CachedMethods.CacheTiers.Persistent) })
        {
            builder.Add(new HealthCheckRegistration(
                $"cachedmethods-{name}",
                sp => new CacheTierHealthCheck(() => sp.GetRequiredService<CachedMethods.CacheManager>(), tier),
                failureStatus: HealthStatus.Degraded,
                tags: tagList));
        }

        return builder;
    }
}
