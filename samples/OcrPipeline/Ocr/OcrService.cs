using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace OcrPipeline.Ocr;

/// <summary>Which engine reads the pages. Its model version is part of every cache key.</summary>
public sealed record OcrEngine(bool UsesTesseract, string Name, string ModelVersion)
{
    public static OcrEngine BuiltIn { get; } = new(false, "built-in (Otsu, projection profiles, 5x7 glyph matching)", "builtin-5x7-v1");

    /// <summary>"auto" takes tesseract when it is on PATH; "builtin" and "tesseract" force one.</summary>
    /// <exception cref="InvalidOperationException">"tesseract" was asked for and is not installed.</exception>
    public static OcrEngine Select(string choice)
    {
        if (choice == "builtin")
        {
            return BuiltIn;
        }

        var version = TesseractCli.DetectVersion();
        if (version is not null)
        {
            return new OcrEngine(true, $"{version} (command line)", version.Replace(' ', '-'));
        }

        return choice == "tesseract"
            ? throw new InvalidOperationException("--engine tesseract: tesseract is not on PATH (Debian: apt-get install tesseract-ocr).")
            : BuiltIn;
    }
}

/// <summary>The uncached service: every call does the work. The pipeline uses it through <c>CachedOcrService</c>.</summary>
public sealed partial class OcrService(PagePreprocessor preprocessor, OcrEngine engine, string computedBy) : IOcrService
{
    private int _recognitions;

    public string EngineName => engine.Name;

    /// <summary>How many pages this process actually recognized (cache misses).</summary>
    public int Recognitions => Volatile.Read(ref _recognitions);

    public async ValueTask<OcrResult> RecognizeAsync(string documentHash, int dpi, string strategy, string language, string modelVersion, ILogger log, CancellationToken ct)
    {
        if (modelVersion != engine.ModelVersion)
        {
            throw new ArgumentException($"This process runs {engine.ModelVersion}, not {modelVersion}.", nameof(modelVersion));
        }

        Interlocked.Increment(ref _recognitions);
        var clock = Stopwatch.StartNew();

        // Both engines read the pre-processed page, itself cached: another language or model reuses it.
        var page = await preprocessor.PrepareAsync(documentHash, dpi, strategy, ct);
        PageReading reading;
        if (engine.UsesTesseract)
        {
            reading = await TesseractCli.RecognizeAsync(ImageOps.ToImage(page), dpi, language, ct);
        }
        else
        {
            reading = PageReader.Read(page, ct);
            reading = reading with { Text = LanguageRules.Apply(reading.Text, language) };
        }

        var words = reading.Layout.Lines.Sum(l => l.Words.Length);
        Log.Recognized(log, documentHash[..12], reading.Layout.Lines.Length, words, clock.ElapsedMilliseconds);
        return new OcrResult(
            documentHash,
            engine.UsesTesseract ? "tesseract" : "builtin",
            modelVersion,
            strategy,
            language,
            dpi,
            reading.Text,
            reading.Layout.Lines.Length,
            words,
            reading.Characters,
            Math.Round(reading.MeanConfidence, 4),
            reading.Layout,
            computedBy,
            clock.ElapsedMilliseconds);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Recognized {Document}: {Lines} lines, {Words} words in {Milliseconds} ms")]
        public static partial void Recognized(ILogger logger, string document, int lines, int words, long milliseconds);
    }
}
