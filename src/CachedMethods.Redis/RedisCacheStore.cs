using CachedMethods.Redis.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CachedMethods.Redis;

/// <summary>
/// The Redis tier: envelopes stored as Redis strings under <c>KeyPrefix + storageId</c>, expiring
/// through Redis' own TTL.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe: every member may be called concurrently; the multiplexer pipelines the calls over
/// one connection.
/// </para>
/// <para>
/// When Redis is down, construction still succeeds, <see cref="IsAvailable"/> is <see langword="false"/>,
/// every call fails at once with a <see cref="RedisConnectionException"/> (which the engine's guard
/// turns into a miss), and the multiplexer reconnects in the background. A call that outlives
/// <see cref="RedisSettings.OperationTimeoutMs"/> fails with a <see cref="RedisTimeoutException"/>.
/// </para>
/// </remarks>
public sealed partial class RedisCacheStore : ICacheStore
{
    private readonly IConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly string _keyPrefix;
    private readonly ILogger _logger;
    private readonly bool _ownsConnection;
    private readonly RedisPrefixClearer _clearer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _reportedDenials = new(StringComparer.Ordinal);
    private int _reportedDown;
    private readonly OnceFlag _misconfigurationSaid;
    private int _disposed;

    /// <summary>
    /// Connects to the Redis of <paramref name="settings"/>: <see cref="RedisSettings.Url"/> if set
    /// (<c>redis://[[user]:password@]host[:port][/db]</c>, <c>rediss://</c> for TLS), else
    /// <see cref="RedisSettings.Host"/> and <see cref="RedisSettings.Port"/>. The store owns the
    /// connection and closes it on <see cref="DisposeAsync"/>.
    /// </summary>
    /// <remarks>
    /// Waits at most <see cref="RedisSettings.ConnectTimeoutMs"/> for the first connection and never
    /// throws because the server is unreachable: the store then starts unavailable and connects in the
    /// background. A password or database the URL leaves out is taken from the settings.
    /// </remarks>
    /// <param name="settings">Where Redis is, the key prefix and the timeouts.</param>
    /// <param name="logger">Receives connection events; <see langword="null"/> logs nothing.</param>
    /// <exception cref="CacheConfigurationException">
    /// The URL is malformed, Redis is not configured, or a timeout, port, database or key prefix is out of range.
    /// </exception>
    public RedisCacheStore(RedisSettings settings, ILogger? logger = null)
        : this(Connect(settings, logger ?? NullLogger.Instance, out var misconfigurationSaid), settings.KeyPrefix, database: -1, logger, ownsConnection: true, misconfigurationSaid)
    {
    }

    /// <summary>
    /// Uses a multiplexer the application already has (for example from dependency injection). The
    /// store never closes it: its owner does.
    /// </summary>
    /// <param name="connection">The multiplexer; ideally created with <c>AbortOnConnectFail = false</c>.</param>
    /// <param name="keyPrefix">Every key lives under this prefix; <see cref="Clear"/> removes only it. Must not be empty.</param>
    /// <param name="database">The database number, or -1 for the multiplexer's default database.</param>
    /// <param name="logger">Receives connection events; <see langword="null"/> logs nothing.</param>
    /// <exception cref="CacheConfigurationException"><paramref name="keyPrefix"/> is empty.</exception>
    public RedisCacheStore(IConnectionMultiplexer connection, string keyPrefix, int database = -1, ILogger? logger = null)
        : this(connection, keyPrefix, database, logger, ownsConnection: false, new OnceFlag())
    {
    }

    private RedisCacheStore(IConnectionMultiplexer connection, string keyPrefix, int database, ILogger? logger, bool ownsConnection, OnceFlag misconfigurationSaid)
    {
        _misconfigurationSaid = misconfigurationSaid;
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _keyPrefix = CheckPrefix(keyPrefix);
        _database = connection.GetDatabase(database);
        _logger = logger ?? NullLogger.Instance;
        _ownsConnection = ownsConnection;
        _clearer = new RedisPrefixClearer(connection, _database, keyPrefix, [HorizonKey, SequenceKey], _logger);
        _connection.ConnectionFailed += OnConnectionFailed;
        _connection.ConnectionRestored += OnConnectionRestored;
        _connection.ErrorMessage += OnErrorMessage;
    }

    /// <summary>The multiplexer this store talks through, for features that need the same connection (pub/sub).</summary>
    public IConnectionMultiplexer Connection => _connection;

    /// <summary>The prefix in front of every key of this store.</summary>
    public string KeyPrefix => _keyPrefix;

    /// <inheritdoc/>
    /// <value>Always <see cref="CacheTiers.Redis"/>.</value>
    public CacheTiers Tier => CacheTiers.Redis;

    /// <inheritdoc/>
    /// <value>Always <c>"redis"</c>.</value>
    public string Name => "redis";

    /// <summary>Whether the multiplexer is connected now; <see langword="false"/> while Redis is down or reconnecting.</summary>
    public bool IsAvailable => _connection.IsConnected;

    /// <inheritdoc/>
    /// <value>Always <see langword="true"/>: StackExchange.Redis has a real synchronous API.</value>
    public bool SupportsSynchronousIo => true;

    /// <inheritdoc/>
    /// <exception cref="RedisException">Redis is down or the call timed out.</exception>
    public byte[]? Get(string storageId) => (byte[]?)_database.StringGet(Key(storageId));

    /// <inheritdoc/>
    /// <exception cref="RedisException">Redis is down or the call timed out.</exception>
    public async ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken)
    {
        // SE.Redis 2.x commands take no token: stop waiting on cancellation and let the reply be dropped.
        var value = await _database.StringGetAsync(Key(storageId)).WaitAsync(cancellationToken);
        return (byte[]?)value;
    }

    /// <inheritdoc/>
    /// <remarks>A <paramref name="timeToLive"/> of zero or less deletes any entry held instead: it would be expired at once.</remarks>
    /// <exception cref="RedisException">Redis is down or the call timed out.</exception>
    public void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive)
    {
        var key = Key(storageId);
        if (timeToLive <= TimeSpan.Zero)
        {
            _database.KeyDelete(key);
            return;
        }

        _database.StringSet(key, envelope, Expiry(timeToLive), When.Always);
    }

    /// <inheritdoc/>
    /// <remarks>A <paramref name="timeToLive"/> of zero or less deletes any entry held instead: it would be expired at once.</remarks>
    /// <exception cref="RedisException">Redis is down or the call timed out.</exception>
    public async ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var key = Key(storageId);
        if (timeToLive <= TimeSpan.Zero)
        {
            await _database.KeyDeleteAsync(key).WaitAsync(cancellationToken);
            return;
        }

        await _database.StringSetAsync(key, envelope, Expiry(timeToLive), When.Always).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="RedisException">Redis is down or the call timed out.</exception>
    public bool Delete(string storageId) => _database.KeyDelete(Key(storageId));

    /// <inheritdoc/>
    /// <exception cref="RedisException">Redis is down or the call timed out.</exception>
    public async ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken) =>
        await _database.KeyDeleteAsync(Key(storageId)).WaitAsync(cancellationToken);

    /// <summary>
    /// Removes every key under <see cref="KeyPrefix"/> with SCAN and UNLINK in batches of 1,000 on each
    /// connected primary, and returns how many were removed. Never FLUSHDB: keys outside the prefix stay.
    /// </summary>
    /// <remarks>
    /// Not atomic: an entry written while the scan runs may survive. A primary that is not connected is
    /// skipped with a warning.
    /// </remarks>
    /// <exception cref="RedisException">No primary is connected, or a call failed or timed out.</exception>
    public long Clear() => _clearer.Clear();

    /// <inheritdoc cref="Clear"/>
    public ValueTask<long> ClearAsync(CancellationToken cancellationToken) => _clearer.ClearAsync(cancellationToken);

    /// <summary>Always <see cref="StoreUsage.Unknown"/>: counting the keys under a prefix would need a full SCAN.</summary>
    public StoreUsage GetUsage() => StoreUsage.Unknown;

    /// <summary>
    /// Stops logging connection events and, when this store created the multiplexer, closes it after
    /// the calls in flight complete. A multiplexer passed in stays open. Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connection.ConnectionFailed -= OnConnectionFailed;
        _connection.ConnectionRestored -= OnConnectionRestored;
        _connection.ErrorMessage -= OnErrorMessage;
        await UnsubscribeAsync();
        if (_ownsConnection)
        {
            await _connection.CloseAsync(allowCommandsToComplete: true);
            await _connection.DisposeAsync();
        }
    }

    private RedisKey Key(string storageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(storageId);
        // The id is the hash tag: its lock and removal record land in its slot (Cluster), so one script sees all three.
        return (RedisKey)string.Concat(_keyPrefix, "{", storageId, "}");
    }

    // Redis refuses PX 0, which a positive TTL under a millisecond would round to.
    private static TimeSpan Expiry(TimeSpan timeToLive) =>
        timeToLive < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : timeToLive;

    private static string CheckPrefix(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);

        // An empty prefix would make Clear remove every key of the database.
        return keyPrefix.Length > 0
            ? keyPrefix
            : throw new CacheConfigurationException("The Redis KeyPrefix must not be empty: Clear removes every key under it.");
    }

    private static ConnectionMultiplexer Connect(RedisSettings settings, ILogger logger, out OnceFlag misconfigurationSaid)
    {
        // A refused certificate is said by the handshake itself (once per outage), however the attempt then ends:
        // a busy machine can time the attempt out before its error reaches the probe below.
        var said = misconfigurationSaid = new OnceFlag();
        var endpoints = "?";
        var options = RedisConfiguration.FromSettings(settings, reason =>
        {
            if (said.TrySet())
            {
                RedisLog.TlsFailed(logger, endpoints, reason);
            }
        });
        endpoints = string.Join(", ", options.EndPoints.Select(EndPointCollection.ToString));
        CheckPrefix(settings.KeyPrefix);
        var connection = ConnectionMultiplexer.Connect(options);
        if (!connection.IsConnected && !said.IsSet)
        {
            // The multiplexer raises no event for a first attempt that fails, so say it here, and say
            // whether the server refused the credentials: that is a configuration error, not an outage.
            if (!ReportMisconfiguration(logger, endpoints, ProbeFailure(connection), said))
            {
                RedisLog.NotConnectedAtStartup(logger, endpoints);
            }
        }

        return connection;
    }

    // Logs bad credentials (2009) or a refused certificate (2011), once while said is unset, and answers whether the
    // failure was one of them; anything else is an outage.
    private static bool ReportMisconfiguration(ILogger logger, string endpoints, Exception? failure, OnceFlag said)
    {
        if (RedisFailures.AuthenticationError(failure) is { } reason)
        {
            if (said.TrySet())
            {
                RedisLog.AuthenticationFailed(logger, endpoints, reason);
            }

            return true;
        }

        if (RedisFailures.TlsError(failure) is { } tlsReason)
        {
            if (said.TrySet())
            {
                RedisLog.TlsFailed(logger, endpoints, tlsReason);
            }

            return true;
        }

        return false;
    }

    private static Exception? ProbeFailure(ConnectionMultiplexer connection)
    {
        try
        {
            // Fails at once while disconnected (BacklogPolicy.FailFast), carrying the handshake's error.
            connection.GetDatabase().Ping();
            return null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return ex;
        }
    }

    private void OnErrorMessage(object? sender, RedisErrorEventArgs e)
    {
        if (RedisFailures.DeniedCommand(e.Message) is { } command && _reportedDenials.Count < 64 && _reportedDenials.TryAdd(command, 0))
        {
            RedisLog.CommandDenied(_logger, command, e.Message);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // A configuration error is said once per store, at startup or on the first attempt that shows it.
        var endpoint = e.EndPoint?.ToString() ?? "?";
        if (ReportMisconfiguration(_logger, endpoint, e.Exception, _misconfigurationSaid))
        {
            Interlocked.Exchange(ref _reportedDown, 1);
            return;
        }

        if (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            Interlocked.Exchange(ref _reportedDown, 1);
            if (_misconfigurationSaid.TrySet())
            {
                RedisLog.AuthenticationFailed(_logger, endpoint, e.FailureType.ToString());
            }

            return;
        }

        // One warning per outage; the reconnect attempts that follow log at Debug.
        if (Interlocked.Exchange(ref _reportedDown, 1) == 0)
        {
            RedisLog.ConnectionFailed(_logger, e.EndPoint, e.ConnectionType, e.FailureType, e.Exception);
        }
        else
        {
            RedisLog.ConnectionStillFailing(_logger, e.EndPoint, e.ConnectionType, e.FailureType);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Exchange(ref _reportedDown, 0);
        _misconfigurationSaid.Reset();
        RedisLog.ConnectionRestored(_logger, e.EndPoint, e.ConnectionType);
        OnReconnected();
    }
}
