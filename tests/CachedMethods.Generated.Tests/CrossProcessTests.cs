using System.Diagnostics;
using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>
/// The same call gives the same key in another process, and the key's bytes are pinned: a change to
/// the encoding, the scope or the result fingerprint fails here before it orphans stored entries.
/// </summary>
public sealed class CrossProcessTests : IDisposable
{
    /// <summary>
    /// The SHA-256 storage id of <c>IOcrService.Concat("same", "key")</c>. Update it only together with a
    /// deliberate change of the key format (CacheKeyBuilder.FormatVersion) or of the scope. It was computed
    /// outside .NET from the documented layout: SHA-256 of [Scope=27, format 2, "…IOcrService",
    /// "Concat(System.String,System.String)", version 0 (int32 LE), result shape "0983c48586d6ddd6"],
    /// [Name=26, "a"], [StringUtf16=31, "same"], [Name=26, "b"], [StringUtf16=31, "key"]; names and scope
    /// strings as (0, varint length, UTF-8), string values as (0, varint length, UTF-16LE code units).
    /// </summary>
    private const string GoldenStorageId = "6c5d2cbb3c78e31950e2226151ada6bb203a1b58a8832f625297f819592e36cb";

    private readonly CacheFixture _cache = new();

    public void Dispose() => _cache.Dispose();

    /// <summary>The call both processes make.</summary>
    public static string Call(IOcrService service) => service.Concat("same", "key");

    [Fact]
    public void TheGeneratedKeyIsTheDocumentedEncoding()
    {
        var builder = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            builder.AppendScope("CachedMethods.Generated.Tests.Services.IOcrService", "Concat(System.String,System.String)", 0, "0983c48586d6ddd6");
            builder.AppendName("a");
            builder.Append("same");
            builder.AppendName("b");
            builder.Append("key");
            var expected = builder.ToCacheKey().StorageId;

            Call(new CachedOcrService(new CountingOcrService(), _cache.Manager));
            _cache.Manager.Dispose();

            Assert.Equal([expected], _cache.StorageIdsOnDisk());
            Assert.Equal(GoldenStorageId, expected);
        }
        finally
        {
            builder.Dispose();
        }
    }

    [Fact]
    public void ASecondProcessHitsTheEntryTheFirstWrote()
    {
        var inner = new CountingOcrService();
        Assert.Equal("same|key", Call(new CachedOcrService(inner, _cache.Manager)));
        Assert.Equal(1, inner.Calls);
        _cache.Manager.Dispose();

        var output = RunProbe(_cache.DiskPath);

        Assert.Contains("result=same|key", output, StringComparison.Ordinal);
        Assert.Contains("calls=0", output, StringComparison.Ordinal);
    }

    private static string RunProbe(string diskPath)
    {
        var assembly = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("probe");
        start.ArgumentList.Add(diskPath);

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the probe process did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"probe exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
