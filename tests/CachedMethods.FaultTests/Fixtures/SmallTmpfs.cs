using System.Diagnostics;

namespace CachedMethods.FaultTests.Fixtures;

/// <summary>A tmpfs of a few megabytes, mounted for one test (root only) and unmounted on dispose.</summary>
public sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallTmpfs> MountAsync(string path, string size)
    {
        Directory.CreateDirectory(path);
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", path);
        return new SmallTmpfs(path);
    }

    public Task RemountAsync(string mode) => RunAsync("mount", "-o", $"remount,{mode}", Path);

    public void Dispose()
    {
        using var umount = Process.Start("umount", [Path]);
        umount.WaitForExit();
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }
    }
}

/// <summary>
/// A fact that needs root (to mount a tmpfs). Elsewhere it is reported as skipped, with the reason, as the
/// issue allows; the test command runs as root in CI and in the project's container.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux to mount a small tmpfs.";
        }
        else if (Environment.UserName != "root" && GetEuid() != 0)
        {
            Skip = "Needs root to mount a small tmpfs for the full-disk and read-only-disk faults; run the test command as root to include it.";
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();
}
