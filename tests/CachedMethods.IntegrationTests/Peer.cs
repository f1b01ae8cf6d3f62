using System.Diagnostics;

namespace CachedMethods.IntegrationTests;

/// <summary>Runs one cache operation in a second process (tests/CachedMethods.Peer) and returns what it printed.</summary>
internal static class Peer
{
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var peer = Path.Combine(AppContext.BaseDirectory, "CachedMethods.Peer.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(peer);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var watchdog = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(watchdog.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The peer process exited with {process.ExitCode}: {await error}");
        }

        return (await output).Trim();
    }
}

/// <summary>Waits for a condition with a bounded number of short polls: a liveness bound, not a timing assertion.</summary>
internal static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? limit = null, Func<Task>? between = null) =>
        TrueAsync(condition, () => what, limit, between);

    /// <summary>As above; <paramref name="what"/> is read at the deadline, so it can show the state the wait gave up on.</summary>
    public static async Task TrueAsync(Func<bool> condition, Func<string> what, TimeSpan? limit = null, Func<Task>? between = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what()}.");
            }

            if (between is not null)
            {
                await between();
            }

            await Task.Delay(50);
        }
    }
}
