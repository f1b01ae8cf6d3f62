using System.Globalization;
using StackExchange.Redis;

namespace CachedMethods.Redis.Internal;

/// <summary>Turns <see cref="RedisSettings"/> into the <see cref="ConfigurationOptions"/> of a multiplexer.</summary>
internal static class RedisConfiguration
{
    /// <param name="settings">The settings to read.</param>
    /// <param name="certificateRefused">Told why the server's certificate was refused, on every refusal.</param>
    public static ConfigurationOptions FromSettings(RedisSettings settings, Action<string>? certificateRefused = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.OperationTimeoutMs <= 0)
        {
            throw new CacheConfigurationException($"Redis OperationTimeoutMs={settings.OperationTimeoutMs} must be positive.");
        }

        if (settings.ConnectTimeoutMs <= 0)
        {
            throw new CacheConfigurationException($"Redis ConnectTimeoutMs={settings.ConnectTimeoutMs} must be positive.");
        }

        var options = new ConfigurationOptions
        {
            // Redis down at startup must not stop the process: the multiplexer keeps reconnecting in the
            // background and the store reports IsAvailable = false until it succeeds.
            AbortOnConnectFail = false,
            ConnectTimeout = settings.ConnectTimeoutMs,
            SyncTimeout = settings.OperationTimeoutMs,
            AsyncTimeout = settings.OperationTimeoutMs,
            // While disconnected, fail each call at once (the engine turns it into a miss) rather than
            // queueing it until the timeout: a cache that is down should cost nothing.
            BacklogPolicy = BacklogPolicy.FailFast,
        };

        if (!string.IsNullOrEmpty(settings.Url))
        {
            ApplyUrl(options, settings.Url, settings);
        }
        else if (!string.IsNullOrEmpty(settings.Host))
        {
            if (settings.Port is < 1 or > 65535)
            {
                throw new CacheConfigurationException($"REDIS_PORT={settings.Port} is not a port from 1 to 65535.");
            }

            options.EndPoints.Add(settings.Host, settings.Port);
            options.DefaultDatabase = CheckDatabase(settings.Database);
            options.Password = settings.Password;
        }
        else
        {
            throw new CacheConfigurationException("Redis is not configured: set REDIS_URL or REDIS_HOST.");
        }

        var caPath = string.IsNullOrWhiteSpace(settings.TlsCaCertificatePath) ? null : settings.TlsCaCertificatePath;
        if (caPath is not null && !File.Exists(caPath))
        {
            throw new CacheConfigurationException($"REDIS_TLS_CA_CERT='{caPath}' is not a file.");
        }

        if (options.Ssl || caPath is not null)
        {
            RedisCertificates.Validate(options, caPath, certificateRefused);
        }

        return options;
    }

    /// <summary>
    /// Parses <c>redis://[[user]:password@]host[:port][/db]</c>; <c>rediss://</c> turns TLS on. The URL
    /// wins over host and port; a password or database it leaves out falls back to the settings.
    /// </summary>
    private static void ApplyUrl(ConfigurationOptions options, string url, RedisSettings settings)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw Malformed(url, "it is not an absolute URL of the form redis://[:password@]host:port[/db]");
        }

        var scheme = uri.Scheme.ToLowerInvariant();
        if (scheme is not ("redis" or "rediss"))
        {
            throw Malformed(url, $"the scheme is '{uri.Scheme}', not 'redis' or 'rediss'");
        }

        var host = uri.IdnHost;
        if (string.IsNullOrEmpty(host))
        {
            throw Malformed(url, "it names no host");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            // Silently ignoring a query option (redis-py's ?ssl_cert_reqs=...) would connect differently
            // from what the URL says.
            throw Malformed(url, "query options and fragments are not supported; put the database in the path");
        }

        // Uri reports -1 for the port of a scheme it does not know.
        var port = uri.Port is > 0 ? uri.Port : 6379;
        options.EndPoints.Add(host, port);
        options.Ssl = scheme == "rediss";
        if (options.Ssl)
        {
            options.SslHost = host;
        }

        options.Password = settings.Password;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (user.Length > 0)
            {
                options.User = user;
            }

            if (colon >= 0)
            {
                options.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length == 0)
        {
            options.DefaultDatabase = CheckDatabase(settings.Database);
        }
        else if (int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var database))
        {
            options.DefaultDatabase = CheckDatabase(database);
        }
        else
        {
            throw Malformed(url, $"the path '/{path}' is not a database number");
        }
    }

    private static int CheckDatabase(int database) =>
        database >= 0 ? database : throw new CacheConfigurationException($"Redis database {database} must not be negative.");

    private static CacheConfigurationException Malformed(string url, string reason) =>
        new($"REDIS_URL='{Redact(url)}' is malformed: {reason}.");

    /// <summary>The URL with any user info replaced, so a password never reaches a log or an exception.</summary>
    internal static string Redact(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        return schemeEnd >= 0 && at > schemeEnd ? string.Concat(url.AsSpan(0, schemeEnd + 3), "***", url.AsSpan(at)) : url;
    }
}
