using CachedMethods.TestSupport;

namespace CachedMethods.Samples.Tests;

/// <summary>samples/OcrPipeline --workers over a real redis-server: results cross from one worker process to another.</summary>
[Collection(RedisFixture.Collection)]
public sealed class OcrPipelineWorkerTests(RedisFixture redis) : IDisposable
{
    private readonly string _cache = TestEnvironment.NewTempFolder("ocr-workers");

    public void Dispose() => TestEnvironment.DeleteFolder(_cache);

    [Fact]
    public async Task Workers_read_what_the_other_worker_computed_from_redis()
    {
        // --clear: the collection's server may hold entries of another test; this run starts cold.
        var run = await SampleProcess.RunOcrPipelineAsync(
            ["--workers", "2", "--documents", "2", "--engine", "builtin", "--cache-dir", _cache, "--clear"],
            new Dictionary<string, string> { ["REDIS_URL"] = redis.Url });

        Assert.True(run.ExitCode == 0, run.ToString());
        run.HasLine(@"^\[ocr-worker-1\] environment Worker \(CELERY_WORKER_ID=ocr-worker-1\), memory bound 128 MB$");
        run.HasLine(@"^\[ocr-worker-2\] environment Worker \(CELERY_WORKER_ID=ocr-worker-2\), memory bound 128 MB$");

        // Round 1: each worker computes its share. Round 2: each reads the other's share from Redis.
        run.HasLine(@"^\[ocr-worker-1\]   round 1 \[1/1\] doc-01-\S+ +computed ");
        run.HasLine(@"^\[ocr-worker-2\]   round 1 \[1/1\] doc-02-\S+ +computed ");
        run.HasLine(@"^\[ocr-worker-1\]   round 2 \[2/2\] doc-02-\S+ +redis .+computed by ocr-worker-2$");
        run.HasLine(@"^\[ocr-worker-2\]   round 2 \[1/2\] doc-01-\S+ +redis .+computed by ocr-worker-1$");
        Assert.Equal(2, run.Number(@"^documents computed: (\d+) in total"));
        Assert.Equal(2, run.Number(@"^cross-worker hits: (\d+)"));
    }
}
