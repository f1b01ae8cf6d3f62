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

    [Fact]
    public void Every_option_binds_from_configuration()
    {
        using var _ = Environment();

        var options = Resolve(Section(
            ("EnableCache", "false"),
            ("DefaultTtlSeconds", "120"),
            ("Environment", "worker"),
            ("WorkerId", "w9"),
            ("BatchJobId", "job-3"),
            ("DiskCacheSizeGb", "1.5"),
            ("CompressionThresholdBytes", "4096"),
            ("BackgroundQueueCapacity", "10"),
            ("Redis:Url", "redis://r:6379"),
            ("Redis:Port", "6390"),
            ("Redis:Database", "4"),
            ("Redis:Password", "pw"),
            ("Redis:KeyPrefix", "ocr:"),
            ("Redis:OperationTimeoutMs", "300"),
            ("Redis:ConnectTimeoutMs", "900"),
            ("Redis:TlsCaCertificatePath", "/etc/cm/ca.pem"),
            ("S3:Bucket", "bucket"),
            ("S3:Region", "eu-west-1"),
            ("S3:ServiceUrl", "http://127.0.0.1:9000"),
            ("S3:KeyPrefix", "p/"),
            ("S3:StorageClass", "STANDARD"),
            ("S3:CompatibilityMode", "true"),
            ("S3:OperationTimeoutMs", "700")));

        Assert.False(options.EnableCache);
        Assert.Equal(120, options.DefaultTtlSeconds);
        Assert.Equal(CacheEnvironment.Worker, options.Environment);
        Assert.Equal(("w9", "job-3"), (options.WorkerId, options.BatchJobId));
        Assert.Equal(1.5, options.DiskCacheSizeGb);
        Assert.Equal((4096, 10), (options.CompressionThresholdBytes, options.BackgroundQueueCapacity));
        Assert.Equal(("redis://r:6379", 6390, 4, "pw", "ocr:", 300, 900),
            (options.Redis.Url, options.Redis.Port, options.Redis.Database, options.Redis.Password, options.Redis.KeyPrefix, options.Redis.OperationTimeoutMs, options.Redis.ConnectTimeoutMs));
        Assert.Equal("/etc/cm/ca.pem", options.Redis.TlsCaCertificatePath);
        Assert.Equal(("bucket", "eu-west-1", "http://127.0.0.1:9000", "p/", "STANDARD", true, 700),
            (options.S3.Bucket, options.S3.Region, options.S3.ServiceUrl, options.S3.KeyPrefix, options.S3.StorageClass, options.S3.CompatibilityMode, options.S3.OperationTimeoutMs));
    }

    [Theory]
    [InlineData("DefaultTtlSeconds", "an hour")]
    [InlineData("EnableCache", "yes please")]
    [InlineData("DiskCacheSizeGb", "big")]
    [InlineData("Environment", "Laptop")]
    [InlineData("Redis:Port", "six")]
    public void An_invalid_configuration_value_is_an_error_naming_the_key(string key, string value)
    {
        using var _ = Environment();

        var error = Assert.Throws<CacheConfigurationException>(() => Resolve(Section((key, value))));

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
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
