using CachedMethods;
using CachedMethods.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the CachedMethods engine: <c>IOptions&lt;CacheOptions&gt;</c> and a singleton <see cref="CacheManager"/>.</summary>
public static class CachedMethodsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>IOptions&lt;CacheOptions&gt;</c> and a singleton <see cref="CacheManager"/>. Options start from
    /// the defaults, then the environment variables, then <paramref name="configure"/>.
    /// </summary>
    /// <inheritdoc cref="AddCachedMethods(IServiceCollection, IConfiguration?, Action{CacheOptions}?)" path="/remarks"/>
    public static IServiceCollection AddCachedMethods(this IServiceCollection services, Action<CacheOptions>? configure = null) =>
        services.AddCachedMethods(configuration: null, configure);

    /// <summary>
    /// Registers <c>IOptions&lt;CacheOptions&gt;</c> and a singleton <see cref="CacheManager"/> built from it.
    /// Precedence, highest first: <paramref name="configure"/>, then <paramref name="configuration"/> (a section such
    /// as <c>configuration.GetSection("CachedMethods")</c>), then environment variables, then defaults.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The options are validated when first read and, under a host, at start (<c>ValidateOnStart</c>): a value out of
    /// range fails with an <see cref="OptionsValidationException"/> whose message names the configuration key (and the
    /// environment variable, where one sets it). A value that cannot be converted fails with a
    /// <see cref="CacheConfigurationException"/> naming its key.
    /// </para>
    /// <para>
    /// A <see cref="TimeProvider"/> registered in the container becomes the engine's clock unless
    /// <paramref name="configure"/> sets one. <c>UseRedis()</c> and <c>UseS3()</c> take an <c>IConnectionMultiplexer</c>
    /// or <c>IAmazonS3</c> registered in the container (<see cref="CacheOptions.Services"/>).
    /// </para>
    /// <para>
    /// Setting <c>REDIS_URL</c> or <c>S3_CACHE_BUCKET</c> does not turn a tier on by itself: call
    /// <c>options.UseRedis()</c> / <c>options.UseS3()</c> from the tier's package. Without the call the engine logs a
    /// warning naming it when it starts, and runs without the tier.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddCachedMethods(this IServiceCollection services, IConfiguration? configuration, Action<CacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCacheOptions(services, Options.Options.DefaultName, configuration, configure);
        services.TryAddSingleton(static provider => provider.GetRequiredService<IOptions<CacheOptions>>().Value);
        services.TryAddSingleton(static provider => new CacheManager(
            provider.GetRequiredService<IOptions<CacheOptions>>().Value,
            provider.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Registers a second, independently configured engine as the keyed service <paramref name="name"/>, with its
    /// options as the named options <paramref name="name"/>: <c>[FromKeyedServices("reports")] CacheManager cache</c>,
    /// <c>IOptionsMonitor&lt;CacheOptions&gt;.Get("reports")</c>.
    /// </summary>
    /// <remarks>
    /// Same precedence, validation and container services as
    /// <see cref="AddCachedMethods(IServiceCollection, IConfiguration?, Action{CacheOptions}?)"/>. Two engines that
    /// share a disk path or a Redis key prefix share entries: give each its own <see cref="CacheOptions.DiskCachePath"/>
    /// and <see cref="RedisSettings.KeyPrefix"/>.
    /// </remarks>
    /// <param name="services">The container.</param>
    /// <param name="name">The service key and options name.</param>
    /// <param name="configuration">A configuration section for this engine, or <see langword="null"/>.</param>
    /// <param name="configure">Settings in code, applied last.</param>
    public static IServiceCollection AddKeyedCachedMethods(this IServiceCollection services, string name, IConfiguration? configuration, Action<CacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        AddCacheOptions(services, name, configuration, configure);
        services.AddKeyedSingleton(name, static (provider, key) => new CacheManager(
            provider.GetRequiredService<IOptionsMonitor<CacheOptions>>().Get((string)key!),
            provider.GetService<ILoggerFactory>()));
        return services;
    }

    private static void AddCacheOptions(IServiceCollection services, string name, IConfiguration? configuration, Action<CacheOptions>? configure)
    {
        var builder = services.AddOptions<CacheOptions>(name);
        // First, so that UseRedis()/UseS3() in configure can see the clients the container holds.
        builder.Configure<IServiceProvider>(static (options, provider) => options.Services = provider);
        builder.Configure(static options => options.ApplyEnvironment(Environment.GetEnvironmentVariable));
        if (configuration is not null)
        {
            builder.Configure(options => options.ApplyConfiguration(configuration));
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.PostConfigure<IServiceProvider>(static (options, provider) =>
        {
            // Code that set a clock keeps it; otherwise the container's clock (a test's FakeTimeProvider) is the engine's.
            if (ReferenceEquals(options.TimeProvider, TimeProvider.System) && provider.GetService<TimeProvider>() is { } time)
            {
                options.TimeProvider = time;
            }
        });
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheOptions>, CacheOptionsKeyValidator>());
        services.AddSingleton(new CacheOptionsSource(name, configuration is IConfigurationSection section ? section.Path : configuration is null ? CacheOptions.SectionName : ""));
    }
}
