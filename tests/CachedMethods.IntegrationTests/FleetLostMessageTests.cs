using System.Diagnostics;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace CachedMethods.IntegrationTests;

/// <summary>
/// Issue 9, case 6, against real processes and a real redis-server: a coherence message lost on the way in, or a
/// publish that fails, does not leave an old value served for longer than the message check's bound.
/// </summary>
public sealed class FleetLostMessageTests(ITestOutputHelper output) : FleetTestBase
{
    /// <summary>The workers' <c>CoherenceCheckSeconds</c>: a lost message is caught within about twice this.</summary>
    private const int CheckSeconds = 1;

    /// <summary>
    /// Far below the 10 min TTL of the copies and the 60 s a cached tag time is trusted, so only the message check
    /// (or the retried publish) can end the stale window within it; far above its design bound of 2 s, for a busy machine.
    /// </summary>
    private static readonly TimeSpan StaleBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_lost_coherence_message_leaves_an_old_value_served_for_a_bounded_time_only()
    {
        var writer = await StartWorkerAsync(coherenceCheckSeconds: CheckSeconds);
        var holder = await StartWorkerAsync(coherenceCheckSeconds: CheckSeconds);
        var operations = new[] { "del", "tag", "prefix", "clear" };
        var figures = new List<string>();
        var deletedReadAfter = 0;
        var longest = TimeSpan.Zero;
        var round = 0;

        foreach (var lostOnTheWayIn in new[] { true, false })
        {
            foreach (var operation in operations)
            {
                round++;
                var key = $"lost:{round}:k";
                var tag = $"t{round}";

                // The holder keeps the value in memory, in Redis and on its own disk folder (a string key set
                // through the string overload carries its prefix tags).
                Assert.Equal("OK", await holder.AskAsync(operation == "tag" ? $"tagset {key} {tag} v{round}" : $"set {key} v{round}"));
                Assert.Equal($"MEM v{round}", await holder.AskAsync($"mem {key}"));
                Assert.Equal($"HIT v{round}", await writer.AskAsync($"get {key}"));

                var hooked = lostOnTheWayIn ? holder : writer;
                var dropped = Count(await hooked.AskAsync("dropped"));
                Assert.Equal("OK", await hooked.AskAsync(lostOnTheWayIn ? "dropin" : "dropout"));
                var command = operation switch
                {
                    "del" => $"del {key}",
                    "tag" => $"tag {tag}",
                    "prefix" => $"prefix lost:{round}:",
                    _ => "clear",
                };
                Assert.StartsWith(operation == "del" ? "DELETED" : "OK", await writer.AskAsync(command));
                var clock = Stopwatch.StartNew();

                // The hook discarded the writer's one message (on arrival at the holder, or its first publish).
                await EventuallyAsync(hooked, "dropped", $"DROPPED {dropped + 1}");

                // The holder may serve its old copy until its message check (or the retry) catches up; never after.
                var stale = 0;
                var read = "";
                while (clock.Elapsed < StaleBound && (read = await holder.AskAsync($"get {key}")) == $"HIT v{round}")
                {
                    stale++;
                    await Task.Delay(20);
                }

                var window = clock.Elapsed;
                longest = window > longest ? window : longest;
                Assert.Equal("MISS", read);
                for (var i = 0; i < 5; i++)
                {
                    deletedReadAfter += await holder.AskAsync($"get {key}") == "MISS" ? 0 : 1;
                    deletedReadAfter += await writer.AskAsync($"get {key}") == "MISS" ? 0 : 1;
                    await Task.Delay(100);
                }

                figures.Add(string.Create(CultureInfo.InvariantCulture, $"{operation} ({(lostOnTheWayIn ? "lost on arrival" : "publish failed")}): old value served {stale} times, for {window.TotalMilliseconds:F0} ms"));
            }
        }

        figures.ForEach(output.WriteLine);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{round} rounds, each with one coherence message lost (check every {CheckSeconds} s): factory runs 0 (values set, not computed); longest stale window {longest.TotalMilliseconds:F0} ms; deleted values read after it = {deletedReadAfter}"));
        Assert.Equal(0, deletedReadAfter);
    }

    private static int Count(string reply) =>
        reply.StartsWith("DROPPED ", StringComparison.Ordinal) ? int.Parse(reply["DROPPED ".Length..], CultureInfo.InvariantCulture) : throw new InvalidOperationException(reply);
}
