using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using StackExchange.Redis;

namespace CachedMethods.Redis.Internal;

/// <summary>
/// Validates the Redis server's certificate (against the system store, or against a private CA) and says why it
/// refused one. The reason comes from the handshake itself, so a refused certificate is reported however the
/// connection attempt ends, even when a busy machine times the attempt out before its error surfaces.
/// </summary>
internal static class RedisCertificates
{
    public static void Validate(ConfigurationOptions options, string? caCertificatePath, Action<string>? refused)
    {
        // The CA is read once, here, so a missing or unreadable file is a configuration error at startup.
        var ca = caCertificatePath is null ? null : X509CertificateLoader.LoadCertificateFromFile(caCertificatePath);
        options.CertificateValidation += (_, certificate, chain, errors) =>
        {
            var reason = ca is null ? SystemStoreRefusal(errors, chain) : PrivateCaRefusal(ca, certificate, errors);
            if (reason is not null)
            {
                refused?.Invoke(reason);
            }

            return reason is null;
        };
    }

    private static string? SystemStoreRefusal(SslPolicyErrors errors, X509Chain? chain) =>
        errors == SslPolicyErrors.None ? null : Describe(errors, chain);

    // A chain that ends at this CA is trusted even though the system store does not know the CA. A name mismatch
    // or a missing certificate is refused whatever the chain.
    private static string? PrivateCaRefusal(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return Describe(errors, null);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf) ? null : Describe(SslPolicyErrors.RemoteCertificateChainErrors, chain);
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToArray() ?? [];
        return statuses.Length == 0
            ? $"The remote certificate was refused: {errors}"
            : $"The remote certificate was refused: {errors} ({string.Join(", ", statuses)})";
    }
}
