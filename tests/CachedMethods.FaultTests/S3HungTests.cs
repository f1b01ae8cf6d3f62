using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using CachedMethods.S3;

namespace CachedMethods.FaultTests;

/// <summary>
/// An S3 endpoint that accepts connections and never answers (issue 14, item 9): one miss spends one S3
/// timeout in all. Its read times out, the value is computed and returned, and the write-back is not
/// started, since the call's time in S3 is spent; the key is left unsettled there instead.
/// </summary>
public sealed class S3HungTests(ITestOutputHelper output)
{
    private const int TimeoutMs = 1000;

    [Fact]
    public async Task A_miss_through_a_hung_s3_returns_the_computed_value_and_sends_one_request_not_two()
    {
        await using var endpoint = HungEndpoint.Start();
        using var client = new AmazonS3Client(new BasicAWSCredentials("key", "secret"), new AmazonS3Config
        {
            ServiceURL = endpoint.Url,
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            MaxErrorRetry = 0,
        });
        var options = new CacheOptions { MemoryCacheSizeMb = 0, Services = new OneService(client) }.UseS3();
        options.S3.Bucket = "hung";
        options.S3.CompatibilityMode = true;
        options.S3.OperationTimeoutMs = TimeoutMs;
        await using var cache = new CacheManager(options);

        var watch = Stopwatch.StartNew();
        var value = await cache.GetOrCreateAsync("page:1", _ => ValueTask.FromResult("computed")).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        watch.Stop();
        var s3 = cache.GetStats()["s3"]!;
        output.WriteLine($"call took {watch.ElapsedMilliseconds} ms with a {TimeoutMs} ms S3 timeout; requests seen: {string.Join(", ", endpoint.RequestLines)}; s3 errors {s3.Errors}, timeouts {s3.Timeouts}");

        Assert.Equal("computed", value);
        // The read timed out; the write-back was not started (counted as a timeout too).
        Assert.Equal(2, s3.Timeouts);
        Assert.True(await Fixtures.Eventually.HoldsAsync(() => endpoint.RequestLines.Count >= 1), "the read never reached the endpoint");
        Assert.DoesNotContain(endpoint.RequestLines, l => l.StartsWith("PUT ", StringComparison.Ordinal));
        Assert.Single(endpoint.RequestLines, l => l.StartsWith("GET ", StringComparison.Ordinal));
    }

    private sealed class OneService(object service) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType.IsInstanceOfType(service) ? service : null;
    }

    /// <summary>A loopback listener that accepts, reads each request's first line, and never answers.</summary>
    private sealed class HungEndpoint : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _clients = [];
        private readonly List<string> _lines = [];
        private Task _accepting = Task.CompletedTask;

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public IReadOnlyList<string> RequestLines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public static HungEndpoint Start()
        {
            var endpoint = new HungEndpoint();
            endpoint._listener.Start();
            endpoint._accepting = endpoint.AcceptAsync();
            return endpoint;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting.ContinueWith(static _ => { }, TaskScheduler.Default);
            lock (_clients)
            {
                _clients.ForEach(c => c.Dispose());
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                _ = ReadFirstLineAsync(client);
            }
        }

        private async Task ReadFirstLineAsync(TcpClient client)
        {
            try
            {
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII, false, 1024, leaveOpen: true);
                if (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    lock (_lines)
                    {
                        _lines.Add(line);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
