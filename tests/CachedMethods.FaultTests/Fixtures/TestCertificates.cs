using System.Diagnostics;
using CachedMethods.TestSupport;

namespace CachedMethods.FaultTests.Fixtures;

/// <summary>
/// A throwaway certificate authority and a server certificate it signed for 127.0.0.1, made with
/// <c>openssl</c> in a temp folder, so a TLS test trusts exactly this CA and nothing in the system store.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaCertificatePath => Path.Combine(Folder, "ca.crt");

    public string ServerCertificatePath => Path.Combine(Folder, "server.crt");

    public string ServerKeyPath => Path.Combine(Folder, "server.key");

    /// <summary>A CA, and a certificate it signed with 127.0.0.1 and localhost as subject alternative names.</summary>
    public static async Task<TestCertificates> CreateAsync()
    {
        var certificates = new TestCertificates(TestEnvironment.NewTempFolder("tls"));
        try
        {
            // EC keys: generated in milliseconds, unlike RSA.
            await OpenSslAsync(certificates.Folder, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=CachedMethods fault-test CA");
            await OpenSslAsync(certificates.Folder, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
            await File.WriteAllTextAsync(Path.Combine(certificates.Folder, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            await OpenSslAsync(certificates.Folder, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
            return certificates;
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    public void Dispose() => TestEnvironment.DeleteFolder(Folder);

    private static async Task OpenSslAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}{await error}");
        }
    }
}
