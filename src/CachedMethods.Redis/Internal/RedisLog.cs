using System.Net;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CachedMethods.Redis.Internal;

/// <summary>The log events of the Redis store. None of them is on the hot path.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Redis is not reachable at {Endpoints}; the Redis tier is skipped until the background reconnect succeeds")]
    public static partial void NotConnectedAtStartup(ILogger logger, string endpoints);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Redis connection to {EndPoint} ({ConnectionType}) failed: {FailureType}; reconnecting in the background")]
    public static partial void ConnectionFailed(ILogger logger, EndPoint? endPoint, ConnectionType connectionType, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug,
        Message = "Redis reconnect to {EndPoint} ({ConnectionType}) failed again: {FailureType}")]
    public static partial void ConnectionStillFailing(ILogger logger, EndPoint? endPoint, ConnectionType connectionType, ConnectionFailureType failureType);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "Redis connection to {EndPoint} ({ConnectionType}) restored")]
    public static partial void ConnectionRestored(ILogger logger, EndPoint? endPoint, ConnectionType connectionType);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning,
        Message = "Redis primary {EndPoint} is not connected; its keys under '{KeyPrefix}' were not cleared")]
    public static partial void ClearSkippedServer(ILogger logger, EndPoint endPoint, string keyPrefix);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information,
        Message = "Cleared {Count} Redis keys under '{KeyPrefix}'")]
    public static partial void Cleared(ILogger logger, long count, string keyPrefix);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning,
        Message = "Could not subscribe to the coherence channel {Channel}; retrying when the connection is restored")]
    public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug,
        Message = "Ignored a malformed message on the coherence channel {Channel}")]
    public static partial void MalformedMessage(ILogger logger, string channel);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error,
        Message = "Redis at {EndPoint} refused authentication ({Reason}): check the user and password of REDIS_URL or REDIS_PASSWORD. The Redis tier stays off; calls go on without it")]
    public static partial void AuthenticationFailed(ILogger logger, string endPoint, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error,
        Message = "Redis denied {Command} to this cache's user ({Reason}): grant it in the user's ACL (docs/reliability.md lists what the cache needs). Calls that need it go on without Redis")]
    public static partial void CommandDenied(ILogger logger, string command, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error,
        Message = "TLS handshake with Redis at {EndPoint} failed ({Reason}): if a private CA signed the server's certificate, set REDIS_TLS_CA_CERT to its PEM file. The Redis tier stays off; calls go on without it")]
    public static partial void TlsFailed(ILogger logger, string endPoint, string reason);
}
