using System.Globalization;
using OcrPipeline.Ocr;

namespace OcrPipeline.Pipeline;

/// <summary>The command line of the sample. Cache settings come from the environment (see the README).</summary>
public sealed record PipelineArguments
{
    public const int MaxDocuments = 64;
    public const int MaxWorkers = 16;

    public const string Usage = """
        usage: dotnet run --project samples/OcrPipeline -- [options]

        Recognizes a batch of generated document scans twice (cold, then warm) through [Cached] methods,
        then prints the cache statistics. Run it again and the results come from disk.

          --documents N       how many documents (default 8, at most 64)
          --workers N         start N worker processes that share Redis (needs REDIS_URL)
          --clear             empty every cache tier first
          --cache-dir PATH    disk tier root (default DISK_CACHE_PATH, else ./cache)
          --strategy NAME     fast | balanced | accurate (default balanced)
          --dpi N             analysis resolution, 75 to 600 (default 300)
          --language CODE     en, de, fr, es, it, nl (default en)
          --engine NAME       auto | builtin | tesseract (default auto: tesseract when on PATH)
          --verbose           log at Debug instead of Warning (to stderr)

        environment: REDIS_URL adds Redis; S3_CACHE_BUCKET with S3_CACHE_SERVICE_URL makes S3 the
        persistent tier; MEMORY_CACHE_SIZE_MB, DISK_CACHE_SIZE_GB, DISK_CACHE_PATH as in the README.
        """;

    public int Documents { get; init; } = 8;

    public int Workers { get; init; }

    public bool Clear { get; init; }

    public string? CacheDir { get; init; }

    public string Strategy { get; init; } = "balanced";

    public int Dpi { get; init; } = 300;

    public string Language { get; init; } = "en";

    public string Engine { get; init; } = "auto";

    public bool Verbose { get; init; }

    public bool Help { get; init; }

    /// <summary>Set only in a worker process started by <c>--workers</c>: its number, from 1.</summary>
    public int? WorkerId { get; init; }

    /// <summary>How many workers the main process started; set with <see cref="WorkerId"/>.</summary>
    public int WorkerCount { get; init; }

    /// <exception cref="ArgumentException">An option is unknown or its value is not valid; the message says which.</exception>
    public static PipelineArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new PipelineArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Number(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} takes a whole number from {min} to {max}, not '{text}'.");
            }

            string OneOf(IReadOnlyList<string> allowed)
            {
                var text = Value();
                return allowed.Contains(text) ? text : throw new ArgumentException($"{name} takes one of {string.Join(", ", allowed)}, not '{text}'.");
            }

            parsed = name switch
            {
                "--documents" => parsed with { Documents = Number(1, MaxDocuments) },
                "--workers" => parsed with { Workers = Number(1, MaxWorkers) },
                "--clear" => parsed with { Clear = true },
                "--cache-dir" => parsed with { CacheDir = Value() },
                "--strategy" => parsed with { Strategy = OneOf(Ocr.Strategy.Names) },
                "--dpi" => parsed with { Dpi = Number(75, 600) },
                "--language" => parsed with { Language = OneOf(LanguageRules.Supported) },
                "--engine" => parsed with { Engine = OneOf(["auto", "builtin", "tesseract"]) },
                "--verbose" => parsed with { Verbose = true },
                "--help" or "-h" => parsed with { Help = true },
                "--worker-id" => parsed with { WorkerId = Number(1, MaxWorkers) },
                "--worker-count" => parsed with { WorkerCount = Number(1, MaxWorkers) },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        if (parsed.WorkerId is { } id && (parsed.WorkerCount < id || parsed.Workers > 0))
        {
            throw new ArgumentException("--worker-id is for worker processes started by --workers.");
        }

        return parsed;
    }

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
