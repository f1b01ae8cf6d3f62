using System.Text.RegularExpressions;

namespace CachedMethods.Redis.Internal;

/// <summary>Recognizes the Redis errors that are configuration mistakes rather than outages: bad credentials, an ACL denial.</summary>
internal static partial class RedisFailures
{
    /// <summary>The server's refusal of the credentials (NOAUTH, WRONGPASS), found anywhere in the exception chain; else <see langword="null"/>.</summary>
    public static string? AuthenticationError(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (AuthError().Match(e.Message) is { Success: true } match)
            {
                return match.Value.TrimEnd('.', ' ');
            }
        }

        return null;
    }

    /// <summary>Why the TLS handshake failed (an untrusted or mismatched certificate), found in the exception chain; else <see langword="null"/>.</summary>
    public static string? TlsError(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
            {
                return e.Message;
            }

            if (TlsReason().Match(e.Message) is { Success: true } match)
            {
                return match.Value.TrimEnd('.', ' ');
            }
        }

        return null;
    }

    /// <summary>The command an ACL denied (<c>NOPERM ... 'eval' command</c>), or <see langword="null"/> for any other error.</summary>
    public static string? DeniedCommand(string? message)
    {
        if (message is null || !message.StartsWith("NOPERM", StringComparison.Ordinal))
        {
            return null;
        }

        var match = QuotedName().Match(message);
        return match.Success ? match.Groups[1].Value.ToUpperInvariant() : "a command";
    }

    [GeneratedRegex(@"(NOAUTH|WRONGPASS)[^.\r\n]*")]
    private static partial Regex AuthError();

    [GeneratedRegex(@"The remote certificate[^;\r\n]*")]
    private static partial Regex TlsReason();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedName();
}
