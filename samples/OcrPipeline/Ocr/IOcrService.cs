using CachedMethods;
using Microsoft.Extensions.Logging;

namespace OcrPipeline.Ocr;

/// <summary>
/// Recognizes the text of a document. The interface surface of [Cached]: the generator writes
/// <c>CachedOcrService</c>, a decorator constructed with <c>(inner, cacheManager)</c>.
/// </summary>
public interface IOcrService
{
    /// <summary>The engine and model behind this service, e.g. "built-in 5x7 matcher".</summary>
    string EngineName { get; }

    /// <summary>
    /// Recognizes the document whose content hash is <paramref name="documentHash"/>. The key is
    /// exactly the parameters that change the result; the logger and the token never do. The result
    /// holds arrays (lines, words) that every hit shares: the pipeline only reads them.
    /// </summary>
    [Cached(
        KeyParams = [nameof(documentHash), nameof(dpi), nameof(strategy), nameof(language), nameof(modelVersion)],
        Ttl = 7 * 24 * 3600,
        Version = 1,
        AllowMutableResult = true)]
    ValueTask<OcrResult> RecognizeAsync(
        string documentHash,
        int dpi,
        string strategy,
        string language,
        string modelVersion,
        [NotCacheKey] ILogger log,
        CancellationToken ct);
}
