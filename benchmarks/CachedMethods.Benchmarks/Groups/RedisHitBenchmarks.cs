using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;
using CachedMethods.Benchmarks.Services;
using StackExchange.Redis;

namespace CachedMethods.Benchmarks.Groups;

/// <summary>
/// Group 3: a hit read from Redis, through the generated wrapper over an engine whose memory tier is
/// off, against the raw client: <c>StringGetAsync</c> plus MessagePack deserialize, with the engine's
/// own serializer settings (contractless, untrusted data, LZ4 above 1 KiB). Run one at a time
/// (<see cref="Categories.Sequential"/>) and 64 at a time (<see cref="Categories.Concurrent64"/>, read
/// the Op/s column), each with the raw client as its baseline.
/// </summary>
/// <remarks>
/// <para>
/// The group starts its own <c>redis-server</c> on a free loopback port and kills it at the end. Both
/// sides hold one multiplexer each to the same server.
/// </para>
/// <para>
/// Each of the 64 workers reads a document of its own. On one shared key the engine's single flight
/// would merge the concurrent reads into one Redis call, and the row would time that rather than
/// Redis hits; merging is measured by the stampede group.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[BenchmarkCategory(Categories.RedisHit)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RedisHitBenchmarks
{
    private const int Concurrency = 64;
    private const int CallsPerWorker = 16;
    private const int ConcurrentCalls = Concurrency * CallsPerWorker;

    private RedisProcess _redis = null!;
    private CacheManager _engine = null!;
    private DocumentService _service = null!;
    private IDocumentService _generated = null!;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _database = null!;
    private MessagePackCacheSerializer _serializer = null!;
    private RedisKey[] _rawKeys = null!;

    /// <summary>The document's serialized size, before compression.</summary>
    [Params(128, 1024, 10240)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _engine = Engines.RedisOnly(_redis.Url, "bench:cm:");
        if (_engine.RedisStore is null || _engine.MemoryStore is not null || _engine.PersistentStore is not null)
        {
            throw new InvalidOperationException($"The engine must have Redis ({_redis.Url}) as its only tier.");
        }

        _service = new DocumentService();
        _generated = new CachedDocumentService(_service, _engine);

        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.EndPoint);
        _database = _connection.GetDatabase();
        _serializer = new MessagePackCacheSerializer(new CacheOptions().CompressionThresholdBytes);
        _rawKeys = new RedisKey[Concurrency];
        for (var id = 0; id < Concurrency; id++)
        {
            _rawKeys[id] = $"bench:raw:{PayloadBytes}:{id}";
            var buffer = new ArrayBufferWriter<byte>();
            _serializer.Serialize(buffer, DocumentService.Create(id, PayloadBytes));
            await _database.StringSetAsync(_rawKeys[id], buffer.WrittenMemory, BenchmarkSettings.Ttl);

            var worker = id;
            await Warm.HitAsync($"{nameof(Generated_Concurrent64)}, document {id}", () => _service.Calls, () => GeneratedAsync(worker));
            if (await RawAsync(id) != DocumentService.Create(id, PayloadBytes))
            {
                throw new InvalidOperationException("The raw baseline did not read back the document it stored.");
            }
        }

        if (_engine.GetStats().Tiers.FirstOrDefault(t => t.Name == "redis")?.Hits is not > 0)
        {
            throw new InvalidOperationException("The engine's warmed hit did not come from Redis.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _engine.DisposeAsync();
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Benchmark, BenchmarkCategory(Categories.Sequential)]
    public ValueTask<Document> Generated_Sequential() => GeneratedAsync(0);

    [Benchmark(Baseline = true), BenchmarkCategory(Categories.Sequential)]
    public ValueTask<Document> Raw_Sequential() => RawAsync(0);

    [Benchmark(OperationsPerInvoke = ConcurrentCalls), BenchmarkCategory(Categories.Concurrent64)]
    public Task Generated_Concurrent64() => RunConcurrentlyAsync(GeneratedAsync);

    [Benchmark(Baseline = true, OperationsPerInvoke = ConcurrentCalls), BenchmarkCategory(Categories.Concurrent64)]
    public Task Raw_Concurrent64() => RunConcurrentlyAsync(RawAsync);

    private ValueTask<Document> GeneratedAsync(int id) => _generated.ReadDocumentAsync(id, PayloadBytes);

    private async ValueTask<Document> RawAsync(int id)
    {
        var value = await _database.StringGetAsync(_rawKeys[id]);
        return _serializer.Deserialize<Document>((byte[])value!);
    }

    /// <summary>64 workers, each reading its own document again and again: 64 requests in flight at any time.</summary>
    private static Task RunConcurrentlyAsync(Func<int, ValueTask<Document>> read)
    {
        var workers = new Task[Concurrency];
        for (var id = 0; id < workers.Length; id++)
        {
            workers[id] = WorkAsync(read, id);
        }

        return Task.WhenAll(workers);

        static async Task WorkAsync(Func<int, ValueTask<Document>> read, int id)
        {
            for (var i = 0; i < CallsPerWorker; i++)
            {
                await read(id);
            }
        }
    }
}
