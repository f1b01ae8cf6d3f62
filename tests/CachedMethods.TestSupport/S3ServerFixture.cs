using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace CachedMethods.TestSupport;

/// <summary>
/// A real s3rver (the npm package in <c>tests/node_modules</c>) on 127.0.0.1, with its data in a temp folder.
/// Disposing it kills the process tree and deletes the folder.
/// </summary>
/// <remarks>
/// s3rver accepts any credentials. Clients need path-style addressing and no aws-chunked uploads
/// (<c>S3Settings.CompatibilityMode</c>). A missing node or s3rver is a failure, never a skip.
/// </remarks>
public sealed partial class S3Server : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _dataFolder;
    private readonly OutputTail _output;

    private S3Server(Process process, string dataFolder, OutputTail output)
    {
        _process = process;
        _dataFolder = dataFolder;
        _output = output;
    }

    /// <summary>The port s3rver listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The endpoint for <c>S3Settings.ServiceUrl</c>: <c>http://127.0.0.1:PORT</c>.</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The temp folder holding the buckets; deleted on dispose.</summary>
    public string DataFolder => _dataFolder;

    /// <summary>The last lines s3rver printed, for failure messages.</summary>
    public string RecentOutput => _output.Text;

    /// <summary>Starts s3rver with <paramref name="buckets"/> created, and returns once it answers HTTP.</summary>
    /// <exception cref="InvalidOperationException">node or s3rver is not installed, or the server did not start.</exception>
    public static async Task<S3Server> StartAsync(IReadOnlyList<string> buckets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var script = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed ({script} is missing). Run the README's test command, 'bash scripts/test.sh', which installs it with 'npm ci --prefix tests'.");
        }

        var dataFolder = TestEnvironment.NewTempFolder("s3rver");
        var output = new OutputTail();
        // Port 0: s3rver binds a port the OS picks and prints it, so nothing can take the port between pick and bind.
        var process = new Process { StartInfo = StartInfo(script, dataFolder, buckets), EnableRaisingEvents = true };
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetResult(-1);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            TestEnvironment.DeleteFolder(dataFolder);
            throw new InvalidOperationException(
                "node is not on PATH; it runs the S3 test server. Install Node.js, then run the README's test command, 'bash scripts/test.sh' (it runs 'npm ci --prefix tests').", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3Server(process, dataFolder, output);
        try
        {
            server.Port = await listening.Task.WaitAsync(StartTimeout, cancellationToken);
            if (server.Port < 0)
            {
                await process.WaitForExitAsync(cancellationToken); // drains the output
                throw new InvalidOperationException($"s3rver exited during start-up (code {process.ExitCode}):{Environment.NewLine}{output.Text}");
            }

            await WaitUntilAnsweringAsync(server.ServiceUrl, cancellationToken);
            return server;
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"s3rver did not start:{Environment.NewLine}{output.Text}", e);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Add(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Kills s3rver and every process it started, waits for it to exit, and deletes its data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        finally
        {
            _process.Dispose();
            TestEnvironment.DeleteFolder(_dataFolder);
        }
    }

    private static ProcessStartInfo StartInfo(string script, string dataFolder, IReadOnlyList<string> buckets)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 17+ (OpenSSL 3) only
        // offers through the legacy provider: without it every truncated listing is a 500 InternalError.
        start.ArgumentList.Add("--openssl-legacy-provider");
        foreach (var argument in new[] { script, "--directory", dataFolder, "--address", "127.0.0.1", "--port", "0", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var bucket in buckets)
        {
            start.ArgumentList.Add("--configure-bucket");
            start.ArgumentList.Add(bucket);
        }

        return start;
    }

    private static async Task WaitUntilAnsweringAsync(string serviceUrl, CancellationToken cancellationToken)
    {
        // The listening line follows the bind; an answered request shows the HTTP pipeline serves too.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                // Any status will do: s3rver answers GET / with its bucket list.
                using var response = await http.GetAsync(serviceUrl + "/", cancellationToken);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    [GeneratedRegex(@"S3rver listening on [^:\s]+:(\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>The last lines of a process's output, kept for failure messages.</summary>
    private sealed class OutputTail
    {
        private const int MaxLines = 50;
        private readonly Queue<string> _lines = new();

        public string Text
        {
            get
            {
                lock (_lines)
                {
                    return string.Join(Environment.NewLine, _lines);
                }
            }
        }

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}

/// <summary>
/// One s3rver shared by the tests of a class or collection, with <see cref="Bucket"/> created. Tests keep
/// apart by each using its own key prefix.
/// </summary>
public sealed class S3Fixture : IAsyncLifetime
{
    private S3Server? _server;

    /// <summary>The bucket created at start-up.</summary>
    public string Bucket { get; } = "cm-tests";

    /// <summary>A second bucket, for tests that need objects outside <see cref="Bucket"/>.</summary>
    public string OtherBucket { get; } = "cm-tests-other";

    /// <summary>The running server.</summary>
    public S3Server Server => _server ?? throw new InvalidOperationException("The S3 fixture has not started.");

    /// <summary>The server's endpoint: <c>http://127.0.0.1:PORT</c>.</summary>
    public string ServiceUrl => Server.ServiceUrl;

    /// <summary>Starts the server.</summary>
    public async Task InitializeAsync() => _server = await S3Server.StartAsync([Bucket, OtherBucket]);

    /// <summary>Stops the server and deletes its data.</summary>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
