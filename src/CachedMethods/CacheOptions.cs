using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CachedMethods;

/// <summary>
/// Settings of a <see cref="CacheManager"/>. A plain class: bind it from an <c>IConfiguration</c>
/// section, set it in code, or start from <see cref="FromEnvironment()"/>.
/// </summary>
/// <remarks>
/// <para>
/// Precedence, highest first: explicit settings in code, then configuration, then environment
/// variables, then the defaults here. <c>services.AddCachedMethods(...)</c> applies them in that order and
/// serves the result as <c>IOptions&lt;CacheOptions&gt;</c>, validated at start.
/// </para>
/// <para>
/// Every settable property of a simple type binds from the configuration key of the same name
/// (<c>CachedMethods:Redis:Url</c>). <see cref="TimeProvider"/>, <see cref="Serializer"/>, <see cref="Services"/>
/// and the store factories are objects: they are set in code only.
/// </para>
/// </remarks>
public sealed class CacheOptions
{
    /// <summary>The configuration section <c>AddCachedMethods</c> binds by default.</summary>
    public const string SectionName = "CachedMethods";

    /// <summary>When <see langword="false"/>, every call goes straight to the factory and nothing is stored.</summary>
    public bool EnableCache { get; set; } = true;

    /// <summary>
    /// The name of this cache in metrics (the <c>cachedmethods.cache.name</c> tag), so that two engines in one
    /// process can be told apart. Keep it unique per process. See docs/observability.md.
    /// </summary>
    public string CacheName { get; set; } = "default";

    /// <summary>TTL used when a call gives none. Default 3600 s.</summary>
    [Range(1, int.MaxValue)]
    public int DefaultTtlSeconds { get; set; } = 3600;

    /// <summary>Where the process runs. <see langword="null"/> means detect it (see <see cref="FromEnvironment()"/>).</summary>
    public CacheEnvironment? Environment { get; set; }

    /// <summary>This worker's id (<c>CELERY_WORKER_ID</c> or <c>CACHE_WORKER_ID</c>): names its disk folder.</summary>
    public string? WorkerId { get; set; }

    /// <summary>The AWS Batch job id (<c>AWS_BATCH_JOB_ID</c>): names its S3 prefix.</summary>
    public string? BatchJobId { get; set; }

    /// <summary>Memory tier bound in MB (<c>MEMORY_CACHE_SIZE_MB</c>). Default 512 in main, 128 in workers and on AWS Batch; 0 disables the tier.</summary>
    [Range(0, 1_000_000)]
    public int? MemoryCacheSizeMb { get; set; }

    /// <summary>Disk tier bound in GB (<c>DISK_CACHE_SIZE_GB</c>). Default 10; 0 disables the disk tier.</summary>
    [Range(0, double.MaxValue)]
    public double DiskCacheSizeGb { get; set; } = 10;

    /// <summary>Root of the disk tier (<c>DISK_CACHE_PATH</c>); entries live in <c>{path}/{worker id}/</c>. Default <c>./cache</c>.</summary>
    [Required]
    public string DiskCachePath { get; set; } = "./cache";

    /// <summary>Redis settings.</summary>
    [ValidateObjectMembers]
    public RedisSettings Redis { get; set; } = new();

    /// <summary>S3 settings; setting <see cref="S3Settings.Bucket"/> makes S3 the persistent tier.</summary>
    [ValidateObjectMembers]
    public S3Settings S3 { get; set; } = new();

    /// <summary>
    /// A secret shared by every process of the fleet (<c>CACHE_SIGNING_KEY</c>), at least 16 characters. When set,
    /// every entry below memory carries an HMAC-SHA256 under it, and an entry without a valid one (planted by
    /// whoever can write to Redis, the disk folder or the bucket, or written by a process with another key) is a
    /// miss and is replaced. <see langword="null"/> (the default): entries are checksummed, not signed.
    /// See docs/reliability.md.
    /// </summary>
    [StringLength(int.MaxValue, MinimumLength = 16)]
    public string? SigningKey { get; set; }

    /// <summary>Serialized values longer than this many bytes are LZ4-compressed. Default 1024.</summary>
    [Range(0, int.MaxValue)]
    public int CompressionThresholdBytes { get; set; } = 1024;

    /// <summary>Capacity of the queue that writes to stores without synchronous I/O from synchronous calls.</summary>
    [Range(1, int.MaxValue)]
    public int BackgroundQueueCapacity { get; set; } = 1024;

    /// <summary>Default of <see cref="CacheEntryOptions.DistributedSingleFlight"/>: one computation per key across the fleet. Default off.</summary>
    public bool DistributedSingleFlight { get; set; }

    /// <summary>Expiry of a distributed single-flight lock, renewed while its holder computes. A dead holder's lock frees after this. Default 30 s.</summary>
    [Range(1, int.MaxValue)]
    public int LockExpirySeconds { get; set; } = 30;

    /// <summary>The longest a process waits for another process's computation before computing itself. Default 120 s.</summary>
    [Range(0, int.MaxValue)]
    public int LockWaitTimeoutSeconds { get; set; } = 120;

    /// <summary>Default fail-safe window past the TTL, in seconds; 0 (the default) turns fail-safe off.</summary>
    [Range(0, int.MaxValue)]
    public int FailSafeMaxStalenessSeconds { get; set; }

    /// <summary>Default soft timeout in ms for factories with a stale fallback; 0 (the default) means none.</summary>
    [Range(0, int.MaxValue)]
    public int SoftTimeoutMs { get; set; }

    /// <summary>Default hard timeout in ms for every factory wait; 0 (the default) means none.</summary>
    [Range(0, int.MaxValue)]
    public int HardTimeoutMs { get; set; }

    /// <summary>Default refresh-ahead fraction of the TTL; 0 (the default) turns it off.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double RefreshAheadFraction { get; set; }

    /// <summary>Entries whose size (serialized value, key and tags) exceeds this skip the memory tier (and are not promoted into it). Default 8 MB.</summary>
    [Range(0, int.MaxValue)]
    public int MaxMemoryEntryBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Entries whose stored frame (serialized value, tags and header) exceeds this skip Redis. Default 16 MB.</summary>
    [Range(0, int.MaxValue)]
    public int MaxRedisEntryBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Whether writes, deletes and invalidations are published on Redis so that every other process drops its
    /// memory copy. Default on; needs Redis.
    /// </summary>
    public bool Coherence { get; set; } = true;

    /// <summary>
    /// How often each process checks that it received every coherence message (a counter in Redis numbers them)
    /// and re-reads the clear horizon. A process that missed one drops its memory copies and its cached tag times,
    /// so a lost message leaves an old value served for at most about twice this. Default 5 s.
    /// See docs/architecture.md, "Lost messages".
    /// </summary>
    [Range(1, int.MaxValue)]
    public int CoherenceCheckSeconds { get; set; } = 5;

    /// <summary>Time source for every TTL decision; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The value serializer. Default: MessagePack with untrusted-data security.</summary>
    public ICacheSerializer? Serializer { get; set; }

    /// <summary>Builds the Redis store; set by <c>UseRedis()</c> from the CachedMethods.Redis package.</summary>
    public Func<CacheOptions, ILoggerFactory, ICacheStore>? RedisStoreFactory { get; set; }

    /// <summary>Builds the S3 store; set by <c>UseS3()</c> from the CachedMethods.S3 package.</summary>
    public Func<CacheOptions, ILoggerFactory, ICacheStore>? S3StoreFactory { get; set; }

    /// <summary>
    /// The container these options were built in, when <c>services.AddCachedMethods(...)</c> built them; otherwise
    /// <see langword="null"/>. Store factories take clients registered there (an <c>IConnectionMultiplexer</c>,
    /// an <c>IAmazonS3</c>) instead of creating their own.
    /// </summary>
    public IServiceProvider? Services { get; set; }

    /// <summary>The default TTL as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan DefaultTtl => TimeSpan.FromSeconds(DefaultTtlSeconds);

    /// <summary>The environment in force: the explicit one, else detected from the ids.</summary>
    public CacheEnvironment ResolvedEnvironment =>
        Environment ?? (!string.IsNullOrEmpty(BatchJobId) ? CacheEnvironment.AwsBatch
            : !string.IsNullOrEmpty(WorkerId) ? CacheEnvironment.Worker
            : CacheEnvironment.Main);

    /// <summary>The memory bound in force, in bytes.</summary>
    public long ResolvedMemoryBytes =>
        (MemoryCacheSizeMb ?? (ResolvedEnvironment == CacheEnvironment.Main ? 512 : 128)) * 1024L * 1024L;

    /// <summary>The folder name of this process under <see cref="DiskCachePath"/>.</summary>
    public string ResolvedWorkerFolder => ResolvedEnvironment switch
    {
        CacheEnvironment.Worker => SanitizeFolder(WorkerId!),
        CacheEnvironment.AwsBatch => SanitizeFolder(BatchJobId!),
        _ => "main",
    };

    /// <summary>Options with defaults, overlaid with the process environment variables.</summary>
    public static CacheOptions FromEnvironment() => FromEnvironment(System.Environment.GetEnvironmentVariable);

    /// <summary>Options with defaults, overlaid with variables read through <paramref name="variables"/>.</summary>
    /// <exception cref="CacheConfigurationException">A variable holds a value that is not valid.</exception>
    public static CacheOptions FromEnvironment(Func<string, string?> variables)
    {
        var options = new CacheOptions();
        options.ApplyEnvironment(variables);
        return options;
    }

    /// <summary>Overlays the variables of the README onto these options: the one place they are read.</summary>
    public void ApplyEnvironment(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        string? Read(string name) => variables(name) is { Length: > 0 } value ? value.Trim() : null;

        if (Read("REDIS_URL") is { } url) Redis.Url = url;
        if (Read("REDIS_HOST") is { } host) Redis.Host = host;
        if (Read("REDIS_PORT") is { } port) Redis.Port = ParseInt("REDIS_PORT", port, 1, 65535);
        if (Read("REDIS_DB") is { } db) Redis.Database = ParseInt("REDIS_DB", db, 0, 10_000);
        if (Read("REDIS_PASSWORD") is { } password) Redis.Password = password;
        if (Read("REDIS_KEY_PREFIX") is { } prefix) Redis.KeyPrefix = prefix;
        if (Read("REDIS_TLS_CA_CERT") is { } caCert) Redis.TlsCaCertificatePath = caCert;
        if (Read("MEMORY_CACHE_SIZE_MB") is { } memory) MemoryCacheSizeMb = ParseInt("MEMORY_CACHE_SIZE_MB", memory, 0, 1_000_000);
        if (Read("DISK_CACHE_SIZE_GB") is { } disk) DiskCacheSizeGb = ParseDouble("DISK_CACHE_SIZE_GB", disk);
        if (Read("DISK_CACHE_PATH") is { } path) DiskCachePath = path;
        if (Read("S3_CACHE_BUCKET") is { } bucket) S3.Bucket = bucket;
        if (Read("S3_CACHE_REGION") is { } region) S3.Region = region;
        if (Read("S3_CACHE_SERVICE_URL") is { } serviceUrl) S3.ServiceUrl = serviceUrl;
        if (Read("S3_CACHE_COMPATIBILITY_MODE") is { } compatibility) S3.CompatibilityMode = ParseBool("S3_CACHE_COMPATIBILITY_MODE", compatibility);
        if (Read("CACHE_SIGNING_KEY") is { } signingKey) SigningKey = signingKey;
        if (Read("CACHE_WORKER_ID") is { } cacheWorker) WorkerId = cacheWorker;
        if (Read("CELERY_WORKER_ID") is { } celeryWorker) WorkerId = celeryWorker;
        if (Read("AWS_BATCH_JOB_ID") is { } job) BatchJobId = job;
    }

    private static int ParseInt(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new CacheConfigurationException($"{name}='{value}' is not a whole number from {min} to {max}.");

    private static bool ParseBool(string name, string value) => value.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" => true,
        "0" or "false" or "no" => false,
        _ => throw new CacheConfigurationException($"{name}='{value}' is not true or false."),
    };

    private static double ParseDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0 && double.IsFinite(parsed)
            ? parsed
            : throw new CacheConfigurationException($"{name}='{value}' is not a non-negative number (use '.' as the decimal point).");

    private static string SanitizeFolder(string id)
    {
        // A worker id names a folder: keep it to characters that cannot climb out of the cache root.
        Span<char> chars = id.Length <= 128 ? stackalloc char[id.Length] : new char[id.Length];
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            chars[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_';
        }

        return chars.Length == 0 ? "main" : new string(chars);
    }
}

/// <summary>Redis tier settings.</summary>
public sealed class RedisSettings
{
    /// <summary>A <c>redis://</c> or <c>rediss://</c> (TLS) URL (<c>REDIS_URL</c>); wins over host and port.</summary>
    public string? Url { get; set; }

    /// <summary>Host (<c>REDIS_HOST</c>). Redis is used when this or <see cref="Url"/> is set.</summary>
    public string? Host { get; set; }

    /// <summary>Port (<c>REDIS_PORT</c>). Default 6379.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 6379;

    /// <summary>Database number (<c>REDIS_DB</c>). Default 0.</summary>
    [Range(0, 10_000)]
    public int Database { get; set; }

    /// <summary>Password (<c>REDIS_PASSWORD</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Every key lives under this prefix (<c>REDIS_KEY_PREFIX</c>); <c>Clear</c> removes only it. Default <c>cm:</c>.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "cm:";

    /// <summary>After this many milliseconds a Redis call gives up and the engine treats it as a miss. Default 250.</summary>
    [Range(1, int.MaxValue)]
    public int OperationTimeoutMs { get; set; } = 250;

    /// <summary>Timeout of the first connection attempt, in milliseconds. Default 1000.</summary>
    [Range(1, int.MaxValue)]
    public int ConnectTimeoutMs { get; set; } = 1000;

    /// <summary>
    /// A PEM file of the certificate authority that signed the server's TLS certificate (<c>REDIS_TLS_CA_CERT</c>),
    /// for <c>rediss://</c> to a server whose certificate a private CA issued. When set, the server's chain must
    /// end at this CA; when unset, the system's trusted roots decide.
    /// </summary>
    public string? TlsCaCertificatePath { get; set; }

    /// <summary>
    /// Whether Redis is configured at all: a URL or host is set, or <c>UseRedis()</c> found a connection
    /// registered in the container.
    /// </summary>
    public bool IsConfigured => !string.IsNullOrEmpty(Url) || !string.IsNullOrEmpty(Host) || HasProvidedConnection;

    /// <summary>Set by <c>UseRedis()</c> when the container holds a connection: no URL is needed then.</summary>
    internal bool HasProvidedConnection { get; set; }
}

/// <summary>S3 tier settings.</summary>
public sealed class S3Settings
{
    /// <summary>Bucket (<c>S3_CACHE_BUCKET</c>). Setting it makes S3 the persistent tier.</summary>
    public string? Bucket { get; set; }

    /// <summary>Region (<c>S3_CACHE_REGION</c>). Default us-east-1.</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Service URL of an S3-compatible store (<c>S3_CACHE_SERVICE_URL</c>); empty for AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Object key prefix; <c>{job}</c> is replaced by the AWS Batch job id. Default <c>ocr-cache/{job}/</c>.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "ocr-cache/{job}/";

    /// <summary>Storage class of written objects. Default <c>STANDARD_IA</c>.</summary>
    public string StorageClass { get; set; } = "STANDARD_IA";

    /// <summary>
    /// Relaxes request checksums and chunked uploads for S3-compatible test servers that do not
    /// implement them (<c>S3_CACHE_COMPATIBILITY_MODE</c>). Leave <see langword="false"/> against AWS.
    /// </summary>
    public bool CompatibilityMode { get; set; }

    /// <summary>After this many milliseconds an S3 call gives up and the engine treats it as a miss. Default 5000.</summary>
    [Range(1, int.MaxValue)]
    public int OperationTimeoutMs { get; set; } = 5000;

    /// <summary>Whether S3 is configured.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(Bucket);
}

/// <summary>A configuration value that cannot be used; the message names the setting.</summary>
public sealed class CacheConfigurationException : Exception
{
    /// <summary>Creates the exception with a message that names the setting.</summary>
    public CacheConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the setting, and the error that revealed it.</summary>
    public CacheConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
