using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace CachedMethods.TestSupport;

/// <summary>
/// A real <c>redis-server</c> process on 127.0.0.1, with no persistence, in its own temp folder.
/// Tests may stop it and start it again on the same port to simulate an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Executable = "redis-server";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(20);

    private readonly string _folder;
    private readonly bool _portChosenHere;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private bool _everStarted;

    /// <summary>A server on a free loopback port, not yet started.</summary>
    public RedisServer()
        : this(TestEnvironment.FreeLoopbackPort(), portChosenHere: true)
    {
    }

    /// <summary>A server on <paramref name="port"/>, not yet started.</summary>
    public RedisServer(int port)
        : this(port, portChosenHere: false)
    {
    }

    private RedisServer(int port, bool portChosenHere)
    {
        Port = port;
        _portChosenHere = portChosenHere;
        _folder = TestEnvironment.NewTempFolder("redis");
    }

    /// <summary>Always <c>127.0.0.1</c>.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port; the same across <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary><c>redis://127.0.0.1:PORT</c>.</summary>
    public string Url => $"redis://{Host}:{Port}";

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer();
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the process (again, on the same port) and waits until it answers PING. Does nothing if it runs.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>redis-server</c> is not installed, or did not start.</exception>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var executable = FindExecutable()
            ?? throw new InvalidOperationException(
                "redis-server is not on PATH. The Redis tests need a real server: run the README's test command, "
                + "`bash scripts/test.sh`, which installs redis-server.");

        // A port found free a moment ago can be taken by another process before the server binds it;
        // until the first start succeeds a new one may be chosen, after that the port is fixed.
        for (var attempt = 1; ; attempt++)
        {
            _process = Launch(executable);
            if (await WaitUntilReadyAsync(_process))
            {
                _everStarted = true;
                return;
            }

            await KillAsync();
            if (!_portChosenHere || _everStarted || attempt == 3)
            {
                string output;
                lock (_output)
                {
                    output = _output.ToString();
                }

                throw new InvalidOperationException($"redis-server did not answer PING on {Host}:{Port} within {StartupTimeout}. Output:\n{output}");
            }

            Port = TestEnvironment.FreeLoopbackPort();
        }
    }

    /// <summary>Kills the process and waits for it to exit, so the port stops answering. Does nothing if it is not running.</summary>
    public Task StopAsync() => KillAsync();

    /// <summary>Kills the process and deletes the temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        TestEnvironment.DeleteFolder(_folder);
    }

    private Process Launch(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", Host,
            "--save", "",
            "--appendonly", "no",
            "--dir", _folder,
            "--protected-mode", "no",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the tail only: a long-running server logs little, but never let it grow unbounded.
            if (_output.Length > 64 * 1024)
            {
                _output.Remove(0, _output.Length / 2);
            }

            _output.AppendLine(line);
        }
    }

    private async Task<bool> WaitUntilReadyAsync(Process process)
    {
        var deadline = DateTime.UtcNow + StartupTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                return false;
            }

            if (await AnswersPingAsync())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(Host, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task KillAsync()
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

    private static string? FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, Executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>
/// One <see cref="RedisServer"/> shared by the tests of a collection. Give each test its own prefix
/// with <see cref="UniquePrefix"/> so tests never see each other's keys.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    /// <summary>The name of the xunit collection that shares this fixture; declare it in each test assembly.</summary>
    public const string Collection = "Redis";

    private RedisServer? _server;

    /// <summary>The running server.</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException("The Redis fixture has not started.");

    /// <summary>Always <c>127.0.0.1</c>.</summary>
    public string Host => Server.Host;

    /// <summary>The server's port.</summary>
    public int Port => Server.Port;

    /// <summary><c>redis://127.0.0.1:PORT</c>.</summary>
    public string Url => Server.Url;

    /// <summary>A key prefix no other test uses: <c>t:{guid}:</c>.</summary>
    public string UniquePrefix() => $"t:{Guid.NewGuid():N}:";

    /// <summary>Starts the server.</summary>
    public async Task InitializeAsync() => _server = await RedisServer.StartNewAsync();

    /// <summary>Kills the server and deletes its folder.</summary>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
