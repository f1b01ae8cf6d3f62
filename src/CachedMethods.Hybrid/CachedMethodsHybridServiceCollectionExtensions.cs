using CachedMethods;
using CachedMethods.Hybrid;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="HybridCache"/> over the CachedMethods engine.</summary>
public static class CachedMethodsHybridServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HybridCache"/> as a singleton <see cref="CachedMethodsHybridCache"/> over the container's
    /// <see cref="CacheManager"/>. Call <c>AddCachedMethods(...)</c> first to configure the engine; without it, the
    /// engine is registered with the defaults and the environment variables.
    /// </summary>
    /// <remarks>Replaces nothing: if a <see cref="HybridCache"/> is already registered, that one stays.</remarks>
    public static IServiceCollection AddCachedMethodsHybridCache(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(static d => d.ServiceType == typeof(CacheManager) && !d.IsKeyedService))
        {
            services.AddCachedMethods();
        }

        services.TryAddSingleton<HybridCache>(static provider => new CachedMethodsHybridCache(provider.GetRequiredService<CacheManager>()));
        return services;
    }
}
