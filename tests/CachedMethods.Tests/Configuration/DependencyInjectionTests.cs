using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CachedMethods.Tests.Configuration;

/// <summary>
/// AddCachedMethods reads the real process environment, so these tests set variables and run alone.
/// Precedence, highest first: configure, configuration, environment, defaults.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class DependencyInjectionTests : IDisposable
{
    private const long Mb = 1024L * 1024;
    private readonly TempFolder _folder = new("di");

    public void Dispose() => _folder.Dispose();

    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create("CachedMethods:" + v.Key, (string?)v.Value)))
            .Build()
            .GetSection(CacheOptions.SectionName);

    private static CacheOptions Resolve(IConfiguration? configuration, Action<CacheOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddCachedMethods(configuration, configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<CacheOptions>();
    }

    private static EnvironmentVariableScope Environment(params (string Name, string Value)[] variables) =>
        new(variables.ToDictionary(v => v.Name, v => (string?)v.Value, StringComparer.Ordinal));

    [Fact]
    public void With_nothing_set_the_defaults_apply()
    {
        using var _ = Environment();

        var options = Resolve(null);

        Assert.Equal(512 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("./cache", options.DiskCachePath);
        Assert.Equal(3600, options.DefaultTtlSeconds);
    }

    [Fact]
    public void The_environment_overrides_the_defaults()
    {
        using var _ = Environment(("MEMORY_CACHE_SIZE_MB", "64"), ("DISK_CACHE_PATH", "/from/env"), ("CELERY_WORKER_ID", "w1"));

        var options = Resolve(Section());

        Assert.Equal(64 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("/from/env", options.DiskCachePath);
        Assert.Equal(CacheEnvironment.Worker, options.ResolvedEnvironment);
    }

    [Fact]
    public void Configuration_overrides_the_environment()
    {
        using var _ = Environment(("MEMORY_CACHE_SIZE_MB", "64"), ("DISK_CACHE_PATH", "/from/env"), ("REDIS_HOST", "env-redis"));

        var options = Resolve(Section(("MemoryCacheSizeMb", "32"), ("DiskCachePath", "/from/config"), ("Redis:Host", "config-redis")));

        Assert.Equal(32 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("/from/config", options.DiskCachePath);
        Assert.Equal("config-redis", options.Redis.Host);
    }

    [Fact]
    public void Configure_overrides_configuration_and_environment()
    {
        using var _ = Environment(("MEMORY_CACHE_SIZE_MB", "64"), ("DISK_CACHE_PATH", "/from/env"));

        var options = Resolve(
            Section(("MemoryCacheSizeMb", "32"), ("DiskCachePath", "/from/config")),
            o =>
            {
                o.MemoryCacheSizeMb = 16;
                o.DiskCachePath = "/from/code";
            });

        Assert.Equal(16 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("/from/code", options.DiskCachePath);
    }

    [Fact]
    public void A_setting_absent_from_configuration_keeps_the_environment_value()
    {
        using var _ = Environment(("MEMORY_CACHE_SIZE_MB", "64"), ("DISK_CACHE_PATH", "/from/env"));

        var options = Resolve(Section(("DiskCachePath", "/from/config")));

        Assert.Equal(64 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("/from/config", options.DiskCachePath);
    }

    [Theory]
    [InlineData("DefaultTtlSeconds", "an hour")]
    [InlineData("EnableCache", "yes please")]
    [InlineData("DiskCacheSizeGb", "big")]
    [InlineData("Environment", "Laptop")]
    [InlineData("Redis:Port", "six")]
    [InlineData("LockExpirySeconds", "soon")]
    public void A_value_that_cannot_be_converted_is_an_error_naming_the_key(string key, string value)
    {
        using var _ = Environment();

        var error = Assert.Throws<CacheConfigurationException>(() => Resolve(Section((key, value))));

        Assert.Contains("CachedMethods:" + key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_environment_variable_fails_registration_naming_it()
    {
        using var _ = Environment(("REDIS_PORT", "not-a-port"));

        var error = Assert.Throws<CacheConfigurationException>(() => Resolve(null));
        Assert.Contains("REDIS_PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cache_manager_resolves_as_a_singleton_built_from_the_registered_options()
    {
        using var _ = Environment(("CELERY_WORKER_ID", "w5"));
        var services = new ServiceCollection();
        services.AddCachedMethods(o =>
        {
            o.DiskCachePath = _folder.Path;
            o.MemoryCacheSizeMb = 8;
        });
        using var provider = services.BuildServiceProvider();

        var cache = provider.GetRequiredService<CacheManager>();

        Assert.Same(cache, provider.GetRequiredService<CacheManager>());
        Assert.Same(provider.GetRequiredService<CacheOptions>(), cache.Options);
        Assert.Equal(CacheEnvironment.Worker, cache.CacheEnvironment);
        Assert.Equal(8 * Mb, cache.MemoryStore!.CapacityBytes);
        cache.Set("k", "v");
        Assert.Equal("v", cache.Get<string>("k").Value);
        Assert.True(Directory.Exists(Path.Combine(_folder.Path, "w5")));
    }

    [Fact]
    public void FromEnvironment_without_arguments_reads_the_process_environment()
    {
        using var _ = Environment(("AWS_BATCH_JOB_ID", "job-77"), ("S3_CACHE_BUCKET", "b"));

        var options = CacheOptions.FromEnvironment();

        Assert.Equal(CacheEnvironment.AwsBatch, options.ResolvedEnvironment);
        Assert.Equal("job-77", options.BatchJobId);
        Assert.Equal("b", options.S3.Bucket);
    }
}
