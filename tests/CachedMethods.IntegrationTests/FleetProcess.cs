using System.Diagnostics;
using System.Threading.Channels;

namespace CachedMethods.IntegrationTests;

/// <summary>A long-lived worker process (tests/CachedMethods.FleetWorker) driven line by line over stdin and stdout.</summary>
public sealed class FleetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private FleetProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public static async Task<FleetProcess> StartAsync(string redisUrl, string prefix, string disk, int lockExpirySeconds = 30, int? coherenceCheckSeconds = null, int? operationTimeoutMs = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "CachedMethods.FleetWorker.dll"), redisUrl, prefix, disk, lockExpirySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (coherenceCheckSeconds is not null || operationTimeoutMs is not null)
        {
            start.ArgumentList.Add(coherenceCheckSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        }

        if (operationTimeoutMs is { } timeout)
        {
            start.ArgumentList.Add(timeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var worker = new FleetProcess(Process.Start(start)!);
        var greeting = await worker.ReadLineAsync(TimeSpan.FromMinutes(1));
        if (greeting != "READY")
        {
            await worker.DisposeAsync();
            throw new InvalidOperationException($"The fleet worker did not connect to Redis: {greeting}");
        }

        return worker;
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Reads the next line; the limit is a watchdog against a hung process, not a timing assertion.</summary>
    public async Task<string> ReadLineAsync(TimeSpan limit)
    {
        using var watchdog = new CancellationTokenSource(limit);
        return await _lines.Reader.ReadAsync(watchdog.Token);
    }

    public async Task<string> AskAsync(string command, TimeSpan? limit = null)
    {
        await SendAsync(command);
        return await ReadLineAsync(limit ?? TimeSpan.FromMinutes(1));
    }

    /// <summary>Freezes (<c>STOP</c>) or resumes (<c>CONT</c>) the process, as a long GC pause or a stopped VM would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
