using System.Globalization;

namespace CachedMethods.Tests.Configuration;

/// <summary>CacheOptions.FromEnvironment over a dictionary: detection, mapping, validation.</summary>
public class CacheOptionsEnvironmentTests
{
    private const long Mb = 1024L * 1024;

    private static CacheOptions From(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => (string?)v.Value, StringComparer.Ordinal);
        return CacheOptions.FromEnvironment(map.GetValueOrDefault);
    }

    [Fact]
    public void Without_variables_the_process_is_main_with_the_documented_defaults()
    {
        var options = From();

        Assert.Equal(CacheEnvironment.Main, options.ResolvedEnvironment);
        Assert.Equal(512 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("main", options.ResolvedWorkerFolder);
        Assert.True(options.EnableCache);
        Assert.Equal(3600, options.DefaultTtlSeconds);
        Assert.Equal(TimeSpan.FromHours(1), options.DefaultTtl);
        Assert.Equal(10, options.DiskCacheSizeGb);
        Assert.Equal("./cache", options.DiskCachePath);
        Assert.False(options.Redis.IsConfigured);
        Assert.False(options.S3.IsConfigured);
        Assert.Equal("cm:", options.Redis.KeyPrefix);
        Assert.Equal(250, options.Redis.OperationTimeoutMs);
        Assert.Equal("ocr-cache/{job}/", options.S3.KeyPrefix);
        Assert.Equal("STANDARD_IA", options.S3.StorageClass);
    }

    [Fact]
    public void An_aws_batch_job_gets_128_mb()
    {
        var options = From(("AWS_BATCH_JOB_ID", "job-42"));

        Assert.Equal(CacheEnvironment.AwsBatch, options.ResolvedEnvironment);
        Assert.Equal(128 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("job-42", options.BatchJobId);
    }

    [Theory]
    [InlineData("CELERY_WORKER_ID")]
    [InlineData("CACHE_WORKER_ID")]
    public void A_worker_gets_128_mb_and_a_folder_of_its_own(string variable)
    {
        var options = From((variable, "celery@gpu-1"));

        Assert.Equal(CacheEnvironment.Worker, options.ResolvedEnvironment);
        Assert.Equal(128 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("celery@gpu-1", options.WorkerId);
        Assert.Equal("celery_gpu-1", options.ResolvedWorkerFolder);
    }

    [Fact]
    public void Celery_worker_id_wins_over_cache_worker_id()
    {
        Assert.Equal("celery", From(("CACHE_WORKER_ID", "cache"), ("CELERY_WORKER_ID", "celery")).WorkerId);
    }

    [Fact]
    public void An_aws_batch_job_id_wins_over_a_worker_id()
    {
        var options = From(("CELERY_WORKER_ID", "w1"), ("AWS_BATCH_JOB_ID", "job-1"));

        Assert.Equal(CacheEnvironment.AwsBatch, options.ResolvedEnvironment);
        Assert.Equal("job-1", options.ResolvedWorkerFolder);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("CELERY_WORKER_ID")]
    [InlineData("AWS_BATCH_JOB_ID")]
    public void MEMORY_CACHE_SIZE_MB_overrides_the_default_in_every_environment(string? idVariable)
    {
        var variables = new List<(string, string)> { ("MEMORY_CACHE_SIZE_MB", "64") };
        if (idVariable is not null)
        {
            variables.Add((idVariable, "id-1"));
        }

        Assert.Equal(64 * Mb, From([.. variables]).ResolvedMemoryBytes);
    }

    [Fact]
    public void An_explicit_environment_wins_over_detection()
    {
        var options = From(("CELERY_WORKER_ID", "w1"));
        options.Environment = CacheEnvironment.Main;

        Assert.Equal(CacheEnvironment.Main, options.ResolvedEnvironment);
        Assert.Equal(512 * Mb, options.ResolvedMemoryBytes);
        Assert.Equal("main", options.ResolvedWorkerFolder);
    }

    [Fact]
    public void Every_variable_of_the_reference_design_is_mapped()
    {
        var options = From(
            ("REDIS_URL", "rediss://user:secret@redis.example:6380/2"),
            ("REDIS_HOST", "redis.internal"),
            ("REDIS_PORT", "6380"),
            ("REDIS_DB", "3"),
            ("REDIS_PASSWORD", "hunter2"),
            ("MEMORY_CACHE_SIZE_MB", "256"),
            ("DISK_CACHE_SIZE_GB", "2.5"),
            ("DISK_CACHE_PATH", "/var/cache/ocr"),
            ("S3_CACHE_BUCKET", "ocr-results"),
            ("S3_CACHE_REGION", "eu-central-1"),
            ("CELERY_WORKER_ID", "celery-3"),
            ("AWS_BATCH_JOB_ID", "job-9"));

        Assert.Equal("rediss://user:secret@redis.example:6380/2", options.Redis.Url);
        Assert.Equal("redis.internal", options.Redis.Host);
        Assert.Equal(6380, options.Redis.Port);
        Assert.Equal(3, options.Redis.Database);
        Assert.Equal("hunter2", options.Redis.Password);
        Assert.Equal(256, options.MemoryCacheSizeMb);
        Assert.Equal(2.5, options.DiskCacheSizeGb);
        Assert.Equal("/var/cache/ocr", options.DiskCachePath);
        Assert.Equal("ocr-results", options.S3.Bucket);
        Assert.Equal("eu-central-1", options.S3.Region);
        Assert.Equal("celery-3", options.WorkerId);
        Assert.Equal("job-9", options.BatchJobId);
        Assert.True(options.Redis.IsConfigured);
        Assert.True(options.S3.IsConfigured);
    }

    [Fact]
    public void Every_variable_of_the_reference_design_is_read()
    {
        var asked = new HashSet<string>(StringComparer.Ordinal);
        CacheOptions.FromEnvironment(name =>
        {
            asked.Add(name);
            return null;
        });

        string[] reference =
        [
            "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD", "MEMORY_CACHE_SIZE_MB",
            "DISK_CACHE_SIZE_GB", "DISK_CACHE_PATH", "S3_CACHE_BUCKET", "S3_CACHE_REGION", "CELERY_WORKER_ID", "AWS_BATCH_JOB_ID",
        ];
        Assert.All(reference, name => Assert.Contains(name, asked));
    }

    [Fact]
    public void Redis_host_alone_configures_redis()
    {
        var options = From(("REDIS_HOST", "localhost"));

        Assert.True(options.Redis.IsConfigured);
        Assert.Null(options.Redis.Url);
        Assert.Equal(6379, options.Redis.Port);
        Assert.Equal(0, options.Redis.Database);
    }

    [Fact]
    public void Empty_and_blank_variables_count_as_unset()
    {
        var options = From(("REDIS_HOST", ""), ("CELERY_WORKER_ID", ""), ("MEMORY_CACHE_SIZE_MB", ""), ("S3_CACHE_BUCKET", ""));

        Assert.False(options.Redis.IsConfigured);
        Assert.False(options.S3.IsConfigured);
        Assert.Equal(CacheEnvironment.Main, options.ResolvedEnvironment);
        Assert.Null(options.MemoryCacheSizeMb);
    }

    [Fact]
    public void Values_are_trimmed()
    {
        var options = From(("REDIS_PORT", " 6380 "), ("REDIS_HOST", " redis "));

        Assert.Equal(6380, options.Redis.Port);
        Assert.Equal("redis", options.Redis.Host);
    }

    [Fact]
    public void Numbers_parse_the_same_in_every_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(2.5, From(("DISK_CACHE_SIZE_GB", "2.5")).DiskCacheSizeGb);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("REDIS_PORT", "abc")]
    [InlineData("REDIS_PORT", "0")]
    [InlineData("REDIS_PORT", "70000")]
    [InlineData("REDIS_DB", "-1")]
    [InlineData("REDIS_DB", "one")]
    [InlineData("MEMORY_CACHE_SIZE_MB", "lots")]
    [InlineData("MEMORY_CACHE_SIZE_MB", "-5")]
    [InlineData("MEMORY_CACHE_SIZE_MB", "1.5")]
    [InlineData("DISK_CACHE_SIZE_GB", "ten")]
    [InlineData("DISK_CACHE_SIZE_GB", "-1")]
    [InlineData("DISK_CACHE_SIZE_GB", "NaN")]
    [InlineData("DISK_CACHE_SIZE_GB", "Infinity")]
    [InlineData("DISK_CACHE_SIZE_GB", "2,5")]
    public void An_invalid_value_is_a_configuration_error_naming_the_variable(string variable, string value)
    {
        var error = Assert.Throws<CacheConfigurationException>(() => From((variable, value)));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_sizes_are_valid_and_turn_tiers_off()
    {
        var options = From(("MEMORY_CACHE_SIZE_MB", "0"), ("DISK_CACHE_SIZE_GB", "0"));
        options.TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var cache = new CacheManager(options);

        Assert.Null(cache.MemoryStore);
        Assert.Null(cache.PersistentStore);
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("/absolute/path")]
    [InlineData("..")]
    [InlineData("a\\b")]
    public void A_worker_id_never_names_a_folder_outside_the_cache_root(string workerId)
    {
        var folder = From(("CELERY_WORKER_ID", workerId)).ResolvedWorkerFolder;
        var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "root"));

        Assert.DoesNotContain('/', folder);
        Assert.DoesNotContain('\\', folder);
        Assert.DoesNotContain("..", folder, StringComparison.Ordinal);
        Assert.Equal(root, Path.GetDirectoryName(Path.GetFullPath(Path.Combine(root, folder))));
    }
}
