using CachedMethods.TestSupport;

namespace CachedMethods.Samples.Tests;

/// <summary>samples/OcrPipeline end to end, with the embedded default tiers: memory plus disk in a temp folder.</summary>
public sealed class OcrPipelineTests : IDisposable
{
    private readonly string _cache = TestEnvironment.NewTempFolder("ocr-pipeline");

    public void Dispose() => TestEnvironment.DeleteFolder(_cache);

    [Fact]
    public async Task The_warm_pass_is_all_hits_and_a_second_run_is_served_from_disk()
    {
        var first = await RunAsync();
        Assert.True(first.ExitCode == 0, first.ToString());

        // Output to a pipe gets one line per document, never carriage-return animation.
        Assert.DoesNotContain('\r', first.Output);
        first.HasLine(@"^  pass 1 \[1/2\] doc-01-\S+ +computed ");
        first.HasLine(@"^pass 1: 2 documents in .+; 2 computed, none served from the cache$");
        first.HasLine(@"^pass 2: 2 documents in .+; 2 of 2 served from the cache \(memory\)$");

        first.HasLine(@"^tier +hits +misses +hit rate +entries +size MB");
        Assert.Equal(2, first.Number(@"^memory +(\d+) "));
        first.HasLine(@"^disk +\d+ +\d+ ");

        var second = await RunAsync();
        Assert.True(second.ExitCode == 0, second.ToString());
        second.HasLine(@"^  pass 1 \[1/2\] doc-01-\S+ +disk ");
        second.HasLine(@"^pass 1: 2 documents in .+; 2 of 2 served from the cache \(disk\): results of an earlier run$");
        second.HasLine(@"^pass 2: 2 documents in .+; 2 of 2 served from the cache \(memory\)$");
        Assert.Equal(2, second.Number(@"^disk +(\d+) "));
    }

    [Fact]
    public async Task Clear_empties_the_tiers_so_the_next_run_is_cold()
    {
        var first = await RunAsync();
        Assert.True(first.ExitCode == 0, first.ToString());

        var cleared = await RunAsync("--clear");
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        Assert.True(cleared.Number(@"^  --clear +removed (\d+) entries") > 0, cleared.ToString());
        cleared.HasLine(@"^pass 1: 2 documents in .+; 2 computed, none served from the cache$");
    }

    [Fact]
    public async Task Workers_without_redis_say_why_nothing_is_shared_and_still_run()
    {
        var run = await SampleProcess.RunOcrPipelineAsync(["--workers", "2", "--documents", "1", "--engine", "builtin", "--cache-dir", _cache]);

        Assert.True(run.ExitCode == 0, run.ToString());
        run.HasLine("workers need REDIS_URL to share results");
        run.HasLine(@"^\[ocr-worker-2\] environment Worker \(CELERY_WORKER_ID=ocr-worker-2\), memory bound 128 MB$");
        Assert.Equal(0, run.Number(@"^cross-worker hits: (\d+)"));
    }

    [Fact]
    public async Task An_unknown_option_exits_with_usage()
    {
        var run = await SampleProcess.RunOcrPipelineAsync(["--documents", "0"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--documents takes a whole number from 1 to 64", run.Error);
        Assert.Contains("usage:", run.Error);
    }

    private Task<SampleRun> RunAsync(params string[] extra) =>
        SampleProcess.RunOcrPipelineAsync(["--documents", "2", "--engine", "builtin", "--cache-dir", _cache, .. extra]);
}
