using System.Diagnostics;
using System.Globalization;
using System.Text;
using CachedMethods.TestSupport;

namespace CachedMethods.FaultTests.Fixtures;

/// <summary>
/// One real <c>redis-server</c> on 127.0.0.1 with the arguments a test needs (a password, TLS, cluster mode),
/// in its own temp folder. Ready means <c>redis-cli PING</c> answers, with the same credentials and TLS a
/// client would use. It can be SIGKILLed, SIGSTOPped and restarted on the same port.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(20);

    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyList<string> _cliArguments;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="port">The port (TLS port when <paramref name="tls"/> is set).</param>
    /// <param name="arguments">Extra redis-server arguments, for example <c>--requirepass</c>.</param>
    /// <param name="tls">Certificates for a TLS-only server; <see langword="null"/> for plain TCP.</param>
    /// <param name="cliAuth">The <c>redis-cli</c> arguments that authenticate, for the readiness probe.</param>
    public RedisProcess(int port, IReadOnlyList<string>? arguments = null, TestCertificates? tls = null, IReadOnlyList<string>? cliAuth = null)
    {
        Port = port;
        Folder = TestEnvironment.NewTempFolder("redis-fault");
        Tls = tls;
        _arguments = arguments ?? [];
        var cli = new List<string> { "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "--no-auth-warning" };
        if (tls is not null)
        {
            cli.AddRange(["--tls", "--cacert", tls.CaCertificatePath]);
        }

        cli.AddRange(cliAuth ?? []);
        _cliArguments = cli;
    }

    public int Port { get; }

    public string Folder { get; }

    public TestCertificates? Tls { get; }

    public bool IsRunning => _process is { HasExited: false };

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("redis-server is not running.");

    public string EndPoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the process and waits until it answers PING. Does nothing if it runs.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Folder,
        };
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var common = new List<string> { "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", Folder, "--protected-mode", "no" };
        if (Tls is null)
        {
            common.InsertRange(0, ["--port", port]);
        }
        else
        {
            common.InsertRange(0,
            [
                "--port", "0", "--tls-port", port,
                "--tls-cert-file", Tls.ServerCertificatePath, "--tls-key-file", Tls.ServerKeyPath,
                "--tls-ca-cert-file", Tls.CaCertificatePath, "--tls-auth-clients", "no",
            ]);
        }

        foreach (var argument in common.Concat(_arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException("redis-server is not on PATH; run the README's test command, 'bash scripts/test.sh', which installs it.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + StartupTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                break;
            }

            if ((await CliAsync("PING")).Trim() == "PONG")
            {
                return;
            }

            await Task.Delay(50);
        }

        await KillAsync();
        throw new InvalidOperationException($"redis-server on {EndPoint} did not answer PING within {StartupTimeout}. Output:\n{RecentOutput}");
    }

    /// <summary>Runs <c>redis-cli</c> against this server with its credentials and returns what it printed.</summary>
    public async Task<string> CliAsync(params string[] command)
    {
        var start = new ProcessStartInfo("redis-cli")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _cliArguments.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }

    /// <summary>SIGKILL: the server vanishes without closing its sockets cleanly.</summary>
    public Task KillAsync() => StopProcessAsync();

    /// <summary>SIGSTOP or SIGCONT: connections stay open while nothing answers.</summary>
    public void Signal(bool stop)
    {
        using var kill = Process.Start("kill", [stop ? "-STOP" : "-CONT", ProcessId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            Signal(stop: false);
        }

        await StopProcessAsync();
        TestEnvironment.DeleteFolder(Folder);
    }

    private async Task StopProcessAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length > 64 * 1024)
            {
                _output.Remove(0, _output.Length / 2);
            }

            _output.AppendLine(line);
        }
    }
}
