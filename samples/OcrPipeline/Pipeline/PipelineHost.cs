using CachedMethods;
using CachedMethods.Redis;
using CachedMethods.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OcrPipeline.Documents;
using OcrPipeline.Ocr;

namespace OcrPipeline.Pipeline;

/// <summary>
/// Everything one process needs: the logger, the cache engine, the documents and the services, wired
/// by hand so the sample shows each step. With dependency injection, <c>services.AddCachedMethods(...)</c>
/// and the generated <c>services.AddCachedDecorators()</c> do the same.
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    private PipelineHost(PipelineArguments arguments, ILoggerFactory loggers, CacheManager cache, DocumentLibrary library, OcrEngine engine, string processName)
    {
        Arguments = arguments;
        Loggers = loggers;
        Cache = cache;
        Library = library;
        Engine = engine;
        ProcessName = processName;
        Log = loggers.CreateLogger("OcrPipeline");
        Preprocessor = new PagePreprocessor(library, cache);
        Inner = new OcrService(Preprocessor, engine, processName);

        // The decorator the generator wrote for IOcrService: [Cached] methods go through the cache.
        Ocr = new CachedOcrService(Inner, cache);
    }

    public PipelineArguments Arguments { get; }

    public ILoggerFactory Loggers { get; }

    public ILogger Log { get; }

    public CacheManager Cache { get; }

    public DocumentLibrary Library { get; }

    public OcrEngine Engine { get; }

    /// <summary>"main", or the worker id: recorded in every result this process computes.</summary>
    public string ProcessName { get; }

    public PagePreprocessor Preprocessor { get; }

    /// <summary>The uncached service, to count real computations.</summary>
    public OcrService Inner { get; }

    /// <summary>The cached service the pipeline calls.</summary>
    public IOcrService Ocr { get; }

    public static PipelineHost Start(PipelineArguments arguments)
    {
        var loggers = CreateLoggers(arguments.Verbose);
        var options = CreateOptions(arguments);
        var cache = new CacheManager(options, loggers);
        var engine = OcrEngine.Select(arguments.Engine);
        var library = DocumentLibrary.Generate(arguments.Documents);
        var name = options.ResolvedEnvironment == CacheEnvironment.Worker ? options.WorkerId! : "main";
        return new PipelineHost(arguments, loggers, cache, library, engine, name);
    }

    /// <summary>The README's environment variables, then this command line's explicit settings on top.</summary>
    public static CacheOptions CreateOptions(PipelineArguments arguments)
    {
        var options = CacheOptions.FromEnvironment().UseRedis().UseS3();
        if (arguments.CacheDir is not null)
        {
            options.DiskCachePath = arguments.CacheDir;
        }

        return options;
    }

    /// <summary>Warnings and errors only (a tier that fails shows up), on stderr so they never break the progress bar.</summary>
    public static ILoggerFactory CreateLoggers(bool verbose) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
        logging.AddSimpleConsole(console => console.SingleLine = true);
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    });

    /// <summary>The tiers in force, top first, e.g. "memory 512 MB → redis 127.0.0.1:6379/0 → disk /work/cache/main".</summary>
    public string DescribeTiers()
    {
        var options = Cache.Options;
        var tiers = new List<string>();
        if (Cache.MemoryStore is { } memory)
        {
            tiers.Add($"memory {memory.CapacityBytes / (1024 * 1024)} MB");
        }

        if (options.Redis.IsConfigured)
        {
            tiers.Add(Cache.RedisStore is null ? $"redis {RedisAddress(options)} (unreachable: calls skip it)" : $"redis {RedisAddress(options)}");
        }

        tiers.Add(options.S3.IsConfigured
            ? $"s3 bucket {options.S3.Bucket}"
            : $"disk {Path.GetFullPath(Path.Combine(options.DiskCachePath, options.ResolvedWorkerFolder))}");
        return string.Join(" -> ", tiers);
    }

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync();
        Loggers.Dispose();
    }

    /// <summary>Host, port and database of the Redis settings, never the password.</summary>
    public static string RedisAddress(CacheOptions options)
    {
        var redis = options.Redis;
        if (redis.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}{uri.AbsolutePath.TrimEnd('/')}";
        }

        return $"{redis.Host}:{redis.Port}/{redis.Database}";
    }
}
