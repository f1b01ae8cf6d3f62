using System.CommandLine;
using System.Globalization;
using OcrPipeline.Ocr;

namespace OcrPipeline.Pipeline;

/// <summary>The command line of the sample, parsed by System.CommandLine. Cache settings come from the environment (see the README).</summary>
public sealed record PipelineArguments
{
    public const int MaxDocuments = 64;
    public const int MaxWorkers = 16;

    public int Documents { get; init; } = 8;

    public int Workers { get; init; }

    public bool Clear { get; init; }

    public string? CacheDir { get; init; }

    public string Strategy { get; init; } = "balanced";

    public int Dpi { get; init; } = 300;

    public string Language { get; init; } = "en";

    public string Engine { get; init; } = "auto";

    public bool Verbose { get; init; }

    /// <summary>Where to write the HTML report, or <see langword="null"/> for none.</summary>
    public string? Report { get; init; }

    /// <summary>"console" (OpenTelemetry console exporter), "counters" (print where dotnet-counters attaches), or <see langword="null"/>.</summary>
    public string? Metrics { get; init; }

    /// <summary>Line-per-document output even on a terminal (always so when the output is redirected).</summary>
    public bool Plain { get; init; }

    /// <summary>Set only in a worker process started by <c>--workers</c>: its number, from 1.</summary>
    public int? WorkerId { get; init; }

    /// <summary>How many workers the main process started; set with <see cref="WorkerId"/>.</summary>
    public int WorkerCount { get; init; }

    /// <summary>The command line of worker <paramref name="workerId"/>: the same job, without the main process's duties.</summary>
    public IReadOnlyList<string> ForWorker(int workerId)
    {
        var c = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "--documents", Documents.ToString(c),
            "--strategy", Strategy,
            "--dpi", Dpi.ToString(c),
            "--language", Language,
            "--engine", Engine,
            "--worker-id", workerId.ToString(c),
            "--worker-count", Workers.ToString(c),
        };
        if (CacheDir is not null)
        {
            args.AddRange(["--cache-dir", CacheDir]);
        }

        if (Verbose)
        {
            args.Add("--verbose");
        }

        return args;
    }
}

/// <summary>The sample's <see cref="RootCommand"/>: every option, its help text and its validation.</summary>
public static class PipelineCommand
{
    public const string UsageLine = "usage: dotnet run --project samples/OcrPipeline -- [options]";

    private static readonly Option<int> Documents = Number("--documents", "How many documents.", 8, 1, PipelineArguments.MaxDocuments);
    private static readonly Option<int> Workers = Number("--workers", "Start N worker processes that share Redis (needs REDIS_URL).", 0, 1, PipelineArguments.MaxWorkers);
    private static readonly Option<bool> Clear = new("--clear") { Description = "Empty every cache tier first." };
    private static readonly Option<string?> CacheDir = new("--cache-dir") { Description = "Disk tier root (default DISK_CACHE_PATH, else ./cache).", HelpName = "path" };
    private static readonly Option<string> Strategy = OneOf("--strategy", "How hard pre-processing works.", "balanced", Ocr.Strategy.Names);
    private static readonly Option<int> Dpi = Number("--dpi", "Analysis resolution.", 300, 75, 600);
    private static readonly Option<string> Language = OneOf("--language", "Language of the dictionary corrections.", "en", LanguageRules.Supported);
    private static readonly Option<string> Engine = OneOf("--engine", "auto takes tesseract when it is on PATH.", "auto", ["auto", "builtin", "tesseract"]);
    private static readonly Option<bool> Verbose = new("--verbose") { Description = "Log at Debug instead of Warning (to stderr)." };
    private static readonly Option<string?> Report = new("--report") { Description = "Write a self-contained HTML report of both passes to this file.", HelpName = "file" };
    private static readonly Option<string?> Metrics = OneOfOrNone("--metrics", "Show the CachedMethods metrics: console prints them through the OpenTelemetry console exporter at the end; counters prints the command for dotnet-counters and waits for Enter before exiting.", ["console", "counters"]);
    private static readonly Option<bool> Plain = new("--plain") { Description = "One line per document, no colours, even on a terminal." };
    private static readonly Option<int?> WorkerId = new("--worker-id") { Hidden = true };
    private static readonly Option<int> WorkerCount = new("--worker-count") { Hidden = true };

    /// <summary>The command; <paramref name="run"/> gets the parsed arguments and the token that Ctrl+C cancels.</summary>
    public static RootCommand Create(Func<PipelineArguments, CancellationToken, Task<int>> run)
    {
        var command = new RootCommand(
            "Recognizes a batch of generated document scans twice (cold, then warm) through [Cached] methods, " +
            "then prints the cache statistics. Run it again and the results come from disk. " +
            "Environment: REDIS_URL adds Redis; S3_CACHE_BUCKET with S3_CACHE_SERVICE_URL makes S3 the persistent tier; " +
            "MEMORY_CACHE_SIZE_MB, DISK_CACHE_SIZE_GB and DISK_CACHE_PATH as in the README.")
        {
            Documents, Workers, Clear, CacheDir, Strategy, Dpi, Language, Engine, Verbose, Report, Metrics, Plain, WorkerId, WorkerCount,
        };
        command.Validators.Add(result =>
        {
            var id = result.GetValue(WorkerId);
            if (id is not null && (id < 1 || id > result.GetValue(WorkerCount) || result.GetValue(Workers) > 0))
            {
                result.AddError("--worker-id is for worker processes started by --workers.");
            }
        });
        command.SetAction((parsed, cancellationToken) => run(Bind(parsed), cancellationToken));
        return command;
    }

    private static PipelineArguments Bind(ParseResult parsed) => new()
    {
        Documents = parsed.GetValue(Documents),
        Workers = parsed.GetValue(Workers),
        Clear = parsed.GetValue(Clear),
        CacheDir = parsed.GetValue(CacheDir),
        Strategy = parsed.GetValue(Strategy)!,
        Dpi = parsed.GetValue(Dpi),
        Language = parsed.GetValue(Language)!,
        Engine = parsed.GetValue(Engine)!,
        Verbose = parsed.GetValue(Verbose),
        Report = parsed.GetValue(Report),
        Metrics = parsed.GetValue(Metrics),
        Plain = parsed.GetValue(Plain),
        WorkerId = parsed.GetValue(WorkerId),
        WorkerCount = parsed.GetValue(WorkerCount),
    };

    private static Option<int> Number(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name)
        {
            Description = $"{description} From {min} to {max}.",
            DefaultValueFactory = _ => defaultValue,
            HelpName = "N",
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (!result.Implicit && (value < min || value > max))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} takes a whole number from {min} to {max}, not '{value}'."));
            }
        });
        return option;
    }

    private static Option<string> OneOf(string name, string description, string defaultValue, IReadOnlyList<string> allowed)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong([.. allowed]);
        return option;
    }

    private static Option<string?> OneOfOrNone(string name, string description, IReadOnlyList<string> allowed)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join('|', allowed) };
        option.AcceptOnlyFromAmong([.. allowed]);
        return option;
    }
}
