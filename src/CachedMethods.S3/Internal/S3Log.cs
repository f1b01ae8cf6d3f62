using Microsoft.Extensions.Logging;

namespace CachedMethods.S3.Internal;

/// <summary>The S3 store's log messages (event ids 3000–3099).</summary>
internal static partial class S3Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "S3 cache store on bucket {Bucket} under prefix {Prefix} (service URL {ServiceUrl}, compatibility mode {CompatibilityMode})")]
    public static partial void StoreCreated(this ILogger logger, string bucket, string prefix, string? serviceUrl, bool compatibilityMode);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Cleared {Count} objects under s3://{Bucket}/{Prefix}")]
    public static partial void Cleared(this ILogger logger, long count, string bucket, string prefix);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Could not delete s3://{Bucket}/{Key} while clearing: {ErrorCode} {ErrorMessage}")]
    public static partial void ClearDeleteFailed(this ILogger logger, string bucket, string? key, string? errorCode, string? errorMessage);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug,
        Message = "Stored {Length} bytes at s3://{Bucket}/{Key}")]
    public static partial void Stored(this ILogger logger, int length, string bucket, string key);
}
