using System.Diagnostics;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// Issue 9, case 5, against real processes and a real redis-server: a lock request lost in a Redis stall leaves no
/// lock that nobody holds, and the process that computed without the lock wakes the waiters of other processes.
/// </summary>
public sealed class FleetStallTests(ITestOutputHelper output) : FleetTestBase
{
    private const int LockExpirySeconds = 30;

    [Fact]
    public async Task A_lock_request_lost_in_a_Redis_stall_is_cleaned_up_and_waiters_in_other_processes_are_woken()
    {
        // The lone process gives up on a Redis call after 250 ms; the waiting one after the default 2 s.
        var alone = await StartWorkerAsync(LockExpirySeconds, operationTimeoutMs: 250);
        var waiter = await StartWorkerAsync(LockExpirySeconds);
        var reader = await StartWorkerAsync(LockExpirySeconds);
        var redis = _redis.GetDatabase();
        string key, aloneReply, waiterReply;
        long lockGoneMs;
        var stalledRequests = 0L;
        var attempt = 0;
        do
        {
            // The stall must catch the lone process's lock request (its first write); on a busy machine it may come
            // too late for it, so the round is tried again on a fresh key.
            attempt++;
            key = $"stalled{attempt}";
            var timeoutsBefore = long.Parse(Field(await alone.AskAsync("stats"), "timeouts"), CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            await redis.ExecuteAsync("CLIENT", "PAUSE", "700", "WRITE");
            await alone.SendAsync($"compute {key} 1 500");
            await waiter.SendAsync($"compute {key} 3 500");
            aloneReply = await alone.ReadLineAsync(TimeSpan.FromMinutes(2));
            waiterReply = await waiter.ReadLineAsync(TimeSpan.FromMinutes(2));

            // The lock SET that arrived after its request timed out is deleted by its token once Redis answers.
            await Eventually.TrueAsync(() => !redis.KeyExists(RedisKey(key, ":lock")), "no lock left on the key");
            lockGoneMs = clock.ElapsedMilliseconds;
            stalledRequests = long.Parse(Field(await alone.AskAsync("stats"), "timeouts"), CultureInfo.InvariantCulture) - timeoutsBefore;
        }
        while (stalledRequests == 0 && attempt < 5);

        // Every process then reads the fleet's value; none reads one that is not.
        var fleetValue = "";
        await Eventually.TrueAsync(() => fleetValue.StartsWith("HIT ", StringComparison.Ordinal), "the value in Redis", null, async () => fleetValue = await reader.AskAsync($"get {key}"));
        var wrongValues = 0;
        foreach (var worker in new[] { alone, waiter })
        {
            await EventuallyAsync(worker, $"get {key}", fleetValue);
        }

        foreach (var reply in new[] { aloneReply, waiterReply })
        {
            wrongValues += reply.StartsWith("DONE distinct=1 ", StringComparison.Ordinal) && Field(reply, "timeouts") == "0" ? 0 : 1;
        }

        var runs = (long)await redis.StringGetAsync(RunsKey(key));
        var waited = int.Parse(Field(waiterReply, "maxwait"), CultureInfo.InvariantCulture);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Redis paused 700 ms (WRITE) around a lock request ({attempt} attempt(s), {stalledRequests} call(s) of the lone process timed out at 250 ms): factory runs {runs}; the lone process's caller waited {Field(aloneReply, "maxwait")} ms, the other process's 3 callers up to {waited} ms (lock expiry {LockExpirySeconds} s); no lock left after {lockGoneMs} ms; wrong or missing values = {wrongValues}"));

        Assert.True(stalledRequests > 0, "the stall never caught the lone process's lock request in 5 attempts");
        Assert.Equal(0, wrongValues);
        Assert.InRange(runs, 1, 2); // the lone process, and the waiter only if it took the lock after the stray one was deleted
        Assert.True(waited < LockExpirySeconds * 1000 / 2, $"waiters waited {waited} ms, as if for the stray lock's expiry");
        Assert.True(lockGoneMs < LockExpirySeconds * 1000 / 2, $"the stray lock lived {lockGoneMs} ms, as if until its expiry");
    }
}
