using System.Globalization;
using CachedMethods;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Reads <see cref="CacheOptions"/> from configuration by explicit key, with no reflection, so binding
/// works under trimming and NativeAOT. Keys are the property names: <c>RedisUrl</c>-style nesting is
/// written <c>Redis:Url</c>.
/// </summary>
public static class CacheOptionsBinder
{
    /// <summary>Overlays every key present in <paramref name="section"/> onto <paramref name="options"/>.</summary>
    /// <exception cref="CacheConfigurationException">A value cannot be parsed; the message names the key.</exception>
    public static void Bind(IConfiguration section, CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        Bool(section, nameof(CacheOptions.EnableCache), v => options.EnableCache = v);
        Int(section, nameof(CacheOptions.DefaultTtlSeconds), v => options.DefaultTtlSeconds = v);
        Text(section, nameof(CacheOptions.Environment), v => options.Environment = Enum.TryParse<CacheEnvironment>(v, ignoreCase: true, out var e)
            ? e
            : throw new CacheConfigurationException($"Configuration Environment='{v}' is not Main, Worker or AwsBatch."));
        Text(section, nameof(CacheOptions.WorkerId), v => options.WorkerId = v);
        Text(section, nameof(CacheOptions.BatchJobId), v => options.BatchJobId = v);
        Int(section, nameof(CacheOptions.MemoryCacheSizeMb), v => options.MemoryCacheSizeMb = v);
        Double(section, nameof(CacheOptions.DiskCacheSizeGb), v => options.DiskCacheSizeGb = v);
        Text(section, nameof(CacheOptions.DiskCachePath), v => options.DiskCachePath = v);
        Int(section, nameof(CacheOptions.CompressionThresholdBytes), v => options.CompressionThresholdBytes = v);
        Int(section, nameof(CacheOptions.BackgroundQueueCapacity), v => options.BackgroundQueueCapacity = v);

        var redis = section.GetSection(nameof(CacheOptions.Redis));
        Text(redis, nameof(RedisSettings.Url), v => options.Redis.Url = v);
        Text(redis, nameof(RedisSettings.Host), v => options.Redis.Host = v);
        Int(redis, nameof(RedisSettings.Port), v => options.Redis.Port = v);
        Int(redis, nameof(RedisSettings.Database), v => options.Redis.Database = v);
        Text(redis, nameof(RedisSettings.Password), v => options.Redis.Password = v);
        Text(redis, nameof(RedisSettings.KeyPrefix), v => options.Redis.KeyPrefix = v);
        Int(redis, nameof(RedisSettings.OperationTimeoutMs), v => options.Redis.OperationTimeoutMs = v);
        Int(redis, nameof(RedisSettings.ConnectTimeoutMs), v => options.Redis.ConnectTimeoutMs = v);
        Text(redis, nameof(RedisSettings.TlsCaCertificatePath), v => options.Redis.TlsCaCertificatePath = v);

        var s3 = section.GetSection(nameof(CacheOptions.S3));
        Text(s3, nameof(S3Settings.Bucket), v => options.S3.Bucket = v);
        Text(s3, nameof(S3Settings.Region), v => options.S3.Region = v);
        Text(s3, nameof(S3Settings.ServiceUrl), v => options.S3.ServiceUrl = v);
        Text(s3, nameof(S3Settings.KeyPrefix), v => options.S3.KeyPrefix = v);
        Text(s3, nameof(S3Settings.StorageClass), v => options.S3.StorageClass = v);
        Bool(s3, nameof(S3Settings.CompatibilityMode), v => options.S3.CompatibilityMode = v);
        Int(s3, nameof(S3Settings.OperationTimeoutMs), v => options.S3.OperationTimeoutMs = v);
    }

    private static void Text(IConfiguration section, string key, Action<string> apply)
    {
        if (section[key] is { Length: > 0 } value)
        {
            apply(value);
        }
    }

    private static void Int(IConfiguration section, string key, Action<int> apply) =>
        Text(section, key, v => apply(int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw Invalid(section, key, v, "a whole number")));

    private static void Double(IConfiguration section, string key, Action<double> apply) =>
        Text(section, key, v => apply(double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw Invalid(section, key, v, "a number")));

    private static void Bool(IConfiguration section, string key, Action<bool> apply) =>
        Text(section, key, v => apply(bool.TryParse(v, out var parsed)
            ? parsed
            : throw Invalid(section, key, v, "true or false")));

    private static CacheConfigurationException Invalid(IConfiguration section, string key, string value, string expected) =>
        new($"Configuration {(section is IConfigurationSection s ? s.Path + ":" : "")}{key}='{value}' is not {expected}.");
}
