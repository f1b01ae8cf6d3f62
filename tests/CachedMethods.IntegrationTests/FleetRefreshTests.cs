using System.Diagnostics;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// Issue 9, case 2, against real processes and a real redis-server: refresh-ahead runs in every process that holds a
/// copy, once per fleet per refresh point, also when the process that computed the value goes quiet.
/// </summary>
public sealed class FleetRefreshTests(ITestOutputHelper output) : FleetTestBase
{
    private const int TtlMs = 10_000;

    /// <summary>Longer than any read, so a caller that blocked on a computation shows; short enough that a refresh started at half the TTL ends before it.</summary>
    private const int FactoryMs = 3000;

    private const int PollSeconds = 25;

    [Fact]
    public async Task Processes_holding_a_promoted_copy_refresh_it_once_per_fleet_after_the_computing_process_goes_quiet()
    {
        var computer = await StartWorkerAsync();
        var readers = new[] { await StartWorkerAsync(), await StartWorkerAsync() };
        var clock = Stopwatch.StartNew();
        Assert.StartsWith("DONE calls=1 distinct=1 ", await computer.AskAsync($"poll refreshed 0 {FactoryMs} {TtlMs}"));

        // The process that computed the value goes quiet for good; the readers hold only copies promoted from Redis.
        await computer.KillAsync();
        foreach (var reader in readers)
        {
            await reader.SendAsync($"poll refreshed {PollSeconds} {FactoryMs} {TtlMs}");
        }

        var replies = new List<string>();
        foreach (var reader in readers)
        {
            replies.Add(await reader.ReadLineAsync(TimeSpan.FromMinutes(2)));
        }

        var elapsed = clock.Elapsed;
        var refreshes = (long)await _redis.GetDatabase().StringGetAsync(RunsKey("refreshed")) - 1;

        // A refresh starts the next generation at the first call past half its predecessor's TTL (its creation is the
        // refresh's start), so at most this many fit, counting one refresh at a time for the whole fleet.
        var refreshPoints = (int)(elapsed.TotalMilliseconds / (TtlMs / 2));
        var longest = replies.Max(r => int.Parse(Field(r, "maxwait"), CultureInfo.InvariantCulture));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"computing process killed; 2 readers calling every 100 ms for {PollSeconds} s (TTL {TtlMs / 1000} s, refresh at half, factory {FactoryMs} ms): {refreshes} refreshes by the readers for at most {refreshPoints} refresh points in {elapsed.TotalSeconds:F1} s; calls {string.Join(" + ", replies.Select(r => Field(r, "calls")))}, generations seen {string.Join(" / ", replies.Select(r => Field(r, "distinct")))}; longest call {longest} ms"));

        Assert.InRange(refreshes, 2, refreshPoints + 1);
        Assert.True(longest < FactoryMs, $"a caller waited {longest} ms: it blocked on a computation at expiry");
    }
}
