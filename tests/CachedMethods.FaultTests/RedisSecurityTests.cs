using CachedMethods.FaultTests.Fixtures;
using CachedMethods.Redis;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging;

namespace CachedMethods.FaultTests;

/// <summary>
/// Redis with a password, an ACL user confined to the cache's prefix, and TLS with a private CA: the right
/// credentials work end to end; wrong ones are a clear log line and a degraded tier, never an exception.
/// </summary>
public sealed class RedisSecurityTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "s3cret-for-tests";
    private const string Prefix = "sec:";
    /// <summary>What the cache needs from Redis, as docs/reliability.md lists it.</summary>
    private static readonly string[] AclCommands =
    [
        "+get", "+set", "+setex", "+psetex", "+del", "+unlink", "+exists", "+pexpire", "+scan", "+eval", "+evalsha", "+script|load",
        "+publish", "+subscribe", "+unsubscribe", "+ping", "+echo", "+info", "+client|setname", "+cluster|nodes",
        "+time", "+pttl", "+incr", "+getrange",
    ];

    private readonly string _disk = TestEnvironment.NewTempFolder("security");
    private TestCertificates? _certificates;
    private RedisProcess? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _certificates?.Dispose();
        TestEnvironment.DeleteFolder(_disk);
    }

    [Fact]
    public async Task The_right_password_serves_the_redis_tier()
    {
        _server = await StartAsync(["--requirepass", Password], cliAuth: ["-a", Password]);
        var logs = new LogCollector();
        await using var cache = Cache($"redis://:{Password}@{_server.EndPoint}", logs);

        Assert.True(await Eventually.HoldsAsync(() => cache.RedisStore is not null, 30), logs.ToString());
        await cache.SetAsync("k", "value");
        Assert.Equal(0, cache.GetStats()["redis"]!.Errors);
        Assert.Contains(Prefix, await _server.CliAsync("--scan", "--pattern", Prefix + "*"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_log_line_and_a_degraded_tier_never_an_exception()
    {
        _server = await StartAsync(["--requirepass", Password], cliAuth: ["-a", Password]);
        var logs = new LogCollector();
        await using var cache = Cache($"redis://:wrong-password@{_server.EndPoint}", logs);

        var runs = 0;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i, await cache.GetOrCreateAsync($"k{i}", _ => { runs++; return new ValueTask<int>(i); }));
            await cache.SetAsync($"s{i}", i);
            Assert.Equal(i, (await cache.GetAsync<int>($"s{i}")).Value);
            await cache.DeleteAsync($"s{i}");
        }

        output.WriteLine(logs.ToString());
        Assert.Equal(20, runs);
        Assert.Null(cache.RedisStore);
        var line = Assert.Single(logs.Lines, l => l.Level == LogLevel.Error && l.EventId == 2009);
        Assert.Contains("authentication", line.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(_server.EndPoint, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", logs.ToString(), StringComparison.Ordinal);
        Assert.Empty(await _server.CliAsync("--scan", "--pattern", Prefix + "*"));
    }

    [Fact]
    public async Task An_acl_user_confined_to_the_prefix_runs_every_cache_feature()
    {
        _server = await StartAsync(["--requirepass", Password], cliAuth: ["-a", Password]);
        Assert.Equal("OK", (await _server.CliAsync(["ACL", "SETUSER", "cache", "on", ">cache-pw", "resetkeys", $"~{Prefix}*", "resetchannels", $"&{Prefix}*", "-@all", .. AclCommands])).Trim());
        var logs = new LogCollector();
        await using var cache = Cache($"redis://cache:cache-pw@{_server.EndPoint}", logs);
        Assert.True(await Eventually.HoldsAsync(() => cache.RedisStore is not null, 30), logs.ToString());

        await cache.SetAsync("doc:1:page", "value");
        Assert.Equal("value", (await cache.GetAsync<string>("doc:1:page")).Value);
        Assert.Equal(3, await cache.GetOrCreateAsync("locked", _ => new ValueTask<int>(3), new CacheEntryOptions { DistributedSingleFlight = true }));
        await cache.InvalidatePrefixAsync("doc:1:");
        await cache.InvalidateTagAsync("t");
        Assert.True(await cache.DeleteAsync("locked"));
        Assert.True(await cache.ClearAsync() >= 1);

        output.WriteLine(logs.ToString());
        Assert.Equal(0, cache.GetStats()["redis"]!.Errors);
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Warning);
        // The confinement is real: the same user cannot touch a key outside the prefix.
        Assert.StartsWith("NOPERM", await _server.CliAsync("--user", "cache", "--pass", "cache-pw", "GET", "other:key"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_the_acl_denies_is_a_clear_log_line_and_never_an_exception()
    {
        _server = await StartAsync(["--requirepass", Password], cliAuth: ["-a", Password]);
        string[] withoutScripts = [.. AclCommands.Where(c => c is not ("+eval" or "+evalsha" or "+script|load"))];
        Assert.Equal("OK", (await _server.CliAsync(["ACL", "SETUSER", "cache", "on", ">cache-pw", "resetkeys", $"~{Prefix}*", "resetchannels", $"&{Prefix}*", "-@all", .. withoutScripts])).Trim());
        var logs = new LogCollector();
        await using var cache = Cache($"redis://cache:cache-pw@{_server.EndPoint}", logs);
        Assert.True(await Eventually.HoldsAsync(() => cache.RedisStore is not null, 30), logs.ToString());

        var fleet = new CacheEntryOptions { DistributedSingleFlight = true };
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i, await cache.GetOrCreateAsync($"locked{i}", _ => new ValueTask<int>(i), fleet));
            await cache.InvalidateTagAsync($"tag{i}");
        }

        await cache.SetAsync("plain", "value");
        Assert.Equal("value", (await cache.GetAsync<string>("plain")).Value);

        output.WriteLine(logs.ToString());
        // One line for the denied command, however many calls it denied.
        var denied = Assert.Single(logs.Lines, l => l.EventId == 2010 && l.Message.Contains("EVAL", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, denied.Level);
    }

    [Fact]
    public async Task Tls_with_a_private_ca_serves_the_redis_tier_and_an_untrusted_ca_degrades_it()
    {
        _server = await StartAsync(["--requirepass", Password], cliAuth: ["-a", Password], tls: true);
        var logs = new LogCollector();
        await using (var cache = Cache($"rediss://:{Password}@{_server.EndPoint}", logs, r => r.TlsCaCertificatePath = _certificates!.CaCertificatePath))
        {
            Assert.True(await Eventually.HoldsAsync(() => cache.RedisStore is not null, 30), logs.ToString());
            await cache.SetAsync("over-tls", "value");
            await cache.InvalidateTagAsync("t");
            Assert.True(cache.GetStats()["redis"]!.Errors == 0, logs.ToString());
        }

        // The entry and the tag record went over TLS (beside them, the clear horizon).
        var keys = (await _server.CliAsync("--scan", "--pattern", Prefix + "*")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(Prefix + "{" + CacheKey.FromString("over-tls").StorageId + "}", keys);
        Assert.Single(keys, k => k.StartsWith(Prefix + "{tag:", StringComparison.Ordinal));

        // Without the CA the chain ends at an unknown root: the handshake fails and the tier stays off.
        var untrusted = new LogCollector();
        await using var refused = Cache($"rediss://:{Password}@{_server.EndPoint}", untrusted);
        Assert.Equal(5, await refused.GetOrCreateAsync("k", _ => new ValueTask<int>(5)));
        Assert.Null(refused.RedisStore);
        // Said at startup, or on the first reconnect attempt when a busy machine timed the startup probe out first.
        Assert.True(await Eventually.HoldsAsync(() => untrusted.Lines.Any(l => l.EventId == 2011), 30), untrusted.ToString());
        output.WriteLine(untrusted.ToString());
        var line = Assert.Single(untrusted.Lines, l => l.EventId == 2011);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains("REDIS_TLS_CA_CERT", line.Message, StringComparison.Ordinal);
    }

    private async Task<RedisProcess> StartAsync(IReadOnlyList<string> arguments, IReadOnlyList<string> cliAuth, bool tls = false)
    {
        if (tls)
        {
            _certificates = await TestCertificates.CreateAsync();
        }

        var server = new RedisProcess(TestEnvironment.FreeLoopbackPort(), arguments, _certificates, cliAuth);
        await server.StartAsync();
        return server;
    }

    private CacheManager Cache(string url, ILoggerFactory logs, Action<RedisSettings>? configure = null)
    {
        var options = new CacheOptions { DiskCachePath = _disk, MemoryCacheSizeMb = 0 }.UseRedis();
        options.Redis.Url = url;
        options.Redis.KeyPrefix = Prefix;
        options.Redis.ConnectTimeoutMs = 2000;
        // These tests are about credentials and permissions: a first script call that outlives the 250 ms default
        // on a busy machine is a timeout, not a refusal, and must not read as one (it did once in CI).
        options.Redis.OperationTimeoutMs = 5000;
        configure?.Invoke(options.Redis);
        return new CacheManager(options, logs);
    }
}
