using Xunit;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// The newest start wins in Redis: a computation that started before a set does not replace it when it stores. Real
/// redis-server; caches in this process stand in for processes.
/// </summary>
public sealed class NewestWriteTests : FleetTestBase
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_computation_that_started_before_a_set_in_another_process_does_not_replace_it()
    {
        await using var a = await StartCacheAsync();
        await using var b = await StartCacheAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var computed = a.GetOrCreateAsync("report-5", async _ => { started.TrySetResult(); await release.Task; return "computed"; }).AsTask();
        await started.Task.WaitAsync(Safety);

        // Well past any disagreement between the two processes' fleet clocks (each errs early by under a round trip).
        await Task.Delay(200);
        await b.SetAsync("report-5", "set");
        release.SetResult();
        Assert.Equal("computed", await computed.WaitAsync(Safety));

        // The set came after the computation began: it stays the fleet's value, in Redis and in the computing process.
        await using var c = await StartCacheAsync();
        Assert.Equal(new CacheResult<string>(true, "set"), await c.GetAsync<string>("report-5"));
        Assert.Equal(new CacheResult<string>(true, "set"), await a.GetAsync<string>("report-5"));
    }
}
