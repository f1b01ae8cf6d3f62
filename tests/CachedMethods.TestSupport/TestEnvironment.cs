using System.Net;
using System.Net.Sockets;

namespace CachedMethods.TestSupport;

/// <summary>Where the repository is, which ports are free, and whether this is CI.</summary>
public static class TestEnvironment
{
    /// <summary>True under CI (<c>CI=true</c>), where a missing server fails the run.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository root: the first parent folder holding CachedMethods.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A new empty folder under the system temp folder; the caller deletes it.</summary>
    public static string NewTempFolder(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "cachedmethods-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a folder made by <see cref="NewTempFolder"/>, ignoring one already gone.</summary>
    public static void DeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A server still closing a file; the OS temp cleaner takes what is left.
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CachedMethods.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No CachedMethods.sln above {AppContext.BaseDirectory}.");
    }
}
