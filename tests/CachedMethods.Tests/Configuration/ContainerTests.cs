using System.Collections.Concurrent;
using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Configuration;

/// <summary>What AddCachedMethods takes from the container, validates at start, and logs when a tier is left off.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ContainerTests : IDisposable
{
    private readonly TempFolder _folder = new("container");
    private readonly EnvironmentVariableScope _environment = new(new Dictionary<string, string?>());

    public void Dispose()
    {
        _environment.Dispose();
        _folder.Dispose();
    }

    private static IConfigurationSection Section(string name, params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(name + ":" + v.Key, (string?)v.Value)))
            .Build()
            .GetSection(name);

    [Theory]
    [InlineData("Redis:Port", "70000", "CachedMethods:Redis:Port (or REDIS_PORT)")]
    [InlineData("DefaultTtlSeconds", "0", "CachedMethods:DefaultTtlSeconds")]
    [InlineData("RefreshAheadFraction", "1.5", "CachedMethods:RefreshAheadFraction")]
    [InlineData("S3:OperationTimeoutMs", "-1", "CachedMethods:S3:OperationTimeoutMs")]
    [InlineData("MemoryCacheSizeMb", "-5", "CachedMethods:MemoryCacheSizeMb (or MEMORY_CACHE_SIZE_MB)")]
    public void Start_validation_fails_naming_the_key(string key, string value, string named)
    {
        using var provider = new ServiceCollection()
            .AddCachedMethods(Section("CachedMethods", (key, value)))
            .BuildServiceProvider();

        // What a host runs at start because of ValidateOnStart.
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith(named + ": ", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_names_the_key_under_the_section_the_options_came_from()
    {
        using var provider = new ServiceCollection()
            .AddCachedMethods(Section("Caching", ("Redis:Database", "-1")))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CacheOptions>>().Value);

        Assert.StartsWith("Caching:Redis:Database (or REDIS_DB): ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_pass_start_validation()
    {
        using var provider = new ServiceCollection().AddCachedMethods(o => o.DiskCachePath = _folder.Path).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task A_TimeProvider_in_the_container_is_the_engines_clock()
    {
        var clock = TestOptions.NewClock();
        await using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddCachedMethods(o => o.DiskCachePath = _folder.Path)
            .BuildServiceProvider();
        var cache = provider.GetRequiredService<CacheManager>();

        await cache.SetAsync("k", "v", TimeSpan.FromMinutes(1));
        Assert.True((await cache.GetAsync<string>("k")).HasValue);
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Same(clock, cache.Options.TimeProvider);
        Assert.False((await cache.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public void A_clock_set_in_code_wins_over_the_containers()
    {
        var fromCode = new FakeTimeProvider();
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(TestOptions.NewClock())
            .AddCachedMethods(o => o.TimeProvider = fromCode)
            .BuildServiceProvider();

        Assert.Same(fromCode, provider.GetRequiredService<IOptions<CacheOptions>>().Value.TimeProvider);
    }

    [Fact]
    public void The_options_carry_the_container_for_store_factories()
    {
        using var provider = new ServiceCollection().AddCachedMethods().BuildServiceProvider();

        var services = provider.GetRequiredService<IOptions<CacheOptions>>().Value.Services;

        Assert.NotNull(services);
        Assert.Same(provider.GetRequiredService<CacheManager>(), services.GetRequiredService<CacheManager>());
    }

    [Fact]
    public async Task Keyed_caches_are_configured_apart_and_keep_their_entries_apart()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Caches:Ocr:DiskCachePath"] = Path.Combine(_folder.Path, "ocr"),
                ["Caches:Ocr:DefaultTtlSeconds"] = "60",
                ["Caches:Reports:DiskCachePath"] = Path.Combine(_folder.Path, "reports"),
                ["Caches:Reports:MemoryCacheSizeMb"] = "16",
            })
            .Build();
        await using var provider = new ServiceCollection()
            .AddCachedMethods(o => o.DiskCachePath = Path.Combine(_folder.Path, "default"))
            .AddKeyedCachedMethods("ocr", configuration.GetSection("Caches:Ocr"))
            .AddKeyedCachedMethods("reports", configuration.GetSection("Caches:Reports"), o => o.DefaultTtlSeconds = 120)
            .BuildServiceProvider();

        var ocr = provider.GetRequiredKeyedService<CacheManager>("ocr");
        var reports = provider.GetRequiredKeyedService<CacheManager>("reports");
        var unnamed = provider.GetRequiredService<CacheManager>();

        Assert.Equal(3, new[] { ocr, reports, unnamed }.Distinct().Count());
        Assert.Same(ocr, provider.GetRequiredKeyedService<CacheManager>("ocr"));
        Assert.Equal(60, ocr.Options.DefaultTtlSeconds);
        Assert.Equal((120, 16L * 1024 * 1024), (reports.Options.DefaultTtlSeconds, reports.Options.ResolvedMemoryBytes));
        Assert.Same(reports.Options, provider.GetRequiredService<IOptionsMonitor<CacheOptions>>().Get("reports"));

        await ocr.SetAsync("page", "from ocr");
        Assert.False((await reports.GetAsync<string>("page")).HasValue);
        Assert.False((await unnamed.GetAsync<string>("page")).HasValue);
        Assert.True(Directory.Exists(Path.Combine(_folder.Path, "ocr", "main")));
    }

    [Fact]
    public void A_keyed_cache_validates_under_its_own_section()
    {
        using var provider = new ServiceCollection()
            .AddKeyedCachedMethods("reports", Section("Reports", ("LockExpirySeconds", "0")))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("Reports:LockExpirySeconds: ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REDIS_URL", "redis://127.0.0.1:1", "options.UseRedis()", "CachedMethods.Redis")]
    [InlineData("S3_CACHE_BUCKET", "cache-bucket", "options.UseS3()", "CachedMethods.S3")]
    public void A_tier_variable_without_its_call_logs_a_warning_naming_the_call(string variable, string value, string call, string package)
    {
        using var _ = new EnvironmentVariableScope(new Dictionary<string, string?> { [variable] = value });
        var logs = new CollectingLoggerProvider();
        using var provider = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs))
            .AddCachedMethods(o => o.DiskCachePath = _folder.Path)
            .BuildServiceProvider();

        var cache = provider.GetRequiredService<CacheManager>();

        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(call, warning.Message, StringComparison.Ordinal);
        Assert.Contains(package, warning.Message, StringComparison.Ordinal);
        Assert.Null(cache.RedisStore);
        Assert.Equal("disk", cache.PersistentStore?.Name);
    }

    private sealed class CollectingLoggerProvider : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }
}
