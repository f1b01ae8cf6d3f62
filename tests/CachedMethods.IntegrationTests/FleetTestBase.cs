using CachedMethods.Redis;
using CachedMethods.TestSupport;
using StackExchange.Redis;
using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// A real redis-server, worker processes (tests/CachedMethods.FleetWorker) and caches in this process that
/// share one key prefix; everything is stopped and deleted at the end.
/// </summary>
public abstract class FleetTestBase : IAsyncLifetime
{
    protected readonly List<string> _folders = [];
    protected readonly List<FleetProcess> _workers = [];
    protected readonly string _prefix = $"fleet:{Guid.NewGuid():N}:";
    protected RedisServer _server = null!;
    protected ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartNewAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_server.Port},abortConnect=false");
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await _redis.DisposeAsync();
        await _server.DisposeAsync();
        _folders.ForEach(TestEnvironment.DeleteFolder);
    }

    protected async Task<FleetProcess> StartWorkerAsync(int lockExpirySeconds = 30, int? coherenceCheckSeconds = null, int? operationTimeoutMs = null, string? redisUrl = null)
    {
        var worker = await FleetProcess.StartAsync(redisUrl ?? _server.Url, _prefix, NewFolder(), lockExpirySeconds, coherenceCheckSeconds, operationTimeoutMs);
        lock (_workers)
        {
            _workers.Add(worker);
        }

        return worker;
    }

    protected async Task<CacheManager> StartCacheAsync()
    {
        var options = new CacheOptions { DiskCachePath = NewFolder() }.UseRedis();
        options.Redis.Url = _server.Url;
        options.Redis.KeyPrefix = _prefix;
        options.Redis.OperationTimeoutMs = 2000;
        var cache = new CacheManager(options);
        await Eventually.TrueAsync(() => cache.RedisStore is not null, "Redis to connect");
        return cache;
    }

    protected string NewFolder()
    {
        var folder = TestEnvironment.NewTempFolder("fleet");
        lock (_folders)
        {
            _folders.Add(folder);
        }

        return folder;
    }

    /// <summary>
    /// Has <paramref name="worker"/> read <paramref name="key"/> until it holds <paramref name="value"/> in memory: a
    /// read that overlapped the message announcing the value keeps its copy out of memory, so one read may not do.
    /// </summary>
    protected static async Task ReadIntoMemoryAsync(FleetProcess worker, string key, string value)
    {
        var held = "";
        await Eventually.TrueAsync(() => held == $"MEM {value}", () => $"the worker to hold {value} in memory (last: {held})", TimeSpan.FromSeconds(60), async () =>
        {
            Assert.Equal($"HIT {value}", await worker.AskAsync($"get {key}"));
            held = await worker.AskAsync($"mem {key}");
        });
    }

    protected static async Task EventuallyAsync(FleetProcess worker, string command, string expected)
    {
        var last = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            last = await worker.AskAsync(command);
            if (last == expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Equal(expected, last);
    }

    /// <summary>The Redis key of a string key's value (or of its lock, its removal record, with a suffix).</summary>
    protected string RedisKey(string key, string suffix = "") => _prefix + "{" + CacheKey.FromString(key).StorageId + "}" + suffix;

    /// <summary>Where the workers count a key's factory runs: outside the cache's prefix, so a clear keeps it.</summary>
    protected string RunsKey(string key) => "runs:" + _prefix + key;

    protected static string Field(string reply, string name) =>
        reply.Split(' ').Single(part => part.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
}
