using CachedMethods;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a singleton <see cref="CacheManager"/>.</summary>
public static class CachedMethodsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CacheOptions"/> and a singleton <see cref="CacheManager"/>. Options start from
    /// the defaults, then the environment variables, then <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddCachedMethods(this IServiceCollection services, Action<CacheOptions>? configure = null) =>
        services.AddCachedMethods(configuration: null, configure);

    /// <summary>
    /// Registers <see cref="CacheOptions"/> and a singleton <see cref="CacheManager"/>. Precedence, highest
    /// first: <paramref name="configure"/>, then <paramref name="configuration"/> (a section such as
    /// <c>configuration.GetSection("CachedMethods")</c>), then environment variables, then defaults.
    /// </summary>
    public static IServiceCollection AddCachedMethods(this IServiceCollection services, IConfiguration? configuration, Action<CacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = CacheOptions.FromEnvironment();
        if (configuration is not null)
        {
            CacheOptionsBinder.Bind(configuration, options);
        }
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton(static provider => new CacheManager(
            provider.GetRequiredService<CacheOptions>(),
            provider.GetService<ILoggerFactory>()));
        return services;
    }
}
