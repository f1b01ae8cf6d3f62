using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CachedMethods.FaultTests.Fixtures;

/// <summary>
/// A real three-primary Redis Cluster on 127.0.0.1: three <c>redis-server --cluster-enabled yes</c> processes
/// joined by <c>redis-cli --cluster create</c>, each with its own folder and node file. Slots are spread
/// over the three, so keys of one prefix land on every node.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public IReadOnlyList<RedisProcess> Nodes { get; private set; } = [];

    /// <summary>A <c>redis://</c> URL of one node; the client discovers the others from it.</summary>
    public string Url => $"redis://{Nodes[0].EndPoint}";

    public async Task InitializeAsync()
    {
        var nodes = new List<RedisProcess>();
        foreach (var port in ClusterPorts(3))
        {
            nodes.Add(new RedisProcess(port, ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"]));
        }

        Nodes = nodes;
        foreach (var node in nodes)
        {
            await node.StartAsync();
        }

        var create = await RunAsync("redis-cli", ["--cluster", "create", .. nodes.Select(n => n.EndPoint), "--cluster-replicas", "0", "--cluster-yes"]);
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            var states = await Task.WhenAll(nodes.Select(n => n.CliAsync("CLUSTER", "INFO")));
            if (states.All(s => s.Contains("cluster_state:ok", StringComparison.Ordinal)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The cluster did not reach cluster_state:ok within {ReadyTimeout}.\n{create}\n{string.Join("\n", states)}");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Runs a command on every node through the cluster-aware <c>redis-cli -c</c>.</summary>
    public Task<string> CliAsync(params string[] command) => RunAsync("redis-cli", ["-c", "-h", "127.0.0.1", "-p", Nodes[0].Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command]);

    /// <summary>Every key under <paramref name="pattern"/> on every node.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string pattern)
    {
        var keys = new List<string>();
        foreach (var node in Nodes)
        {
            keys.AddRange((await node.CliAsync("--scan", "--pattern", pattern)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return keys;
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }

    /// <summary>Ports whose cluster bus port (port + 10000) is free too.</summary>
    private static IEnumerable<int> ClusterPorts(int count)
    {
        var found = new List<int>();
        var random = new Random();
        while (found.Count < count)
        {
            var port = random.Next(20000, 30000);
            if (!found.Contains(port) && IsFree(port) && IsFree(port + 10000))
            {
                found.Add(port);
            }
        }

        return found;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
