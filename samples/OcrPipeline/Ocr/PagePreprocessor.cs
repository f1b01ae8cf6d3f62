using CachedMethods;
using OcrPipeline.Documents;

namespace OcrPipeline.Ocr;

/// <summary>
/// The expensive half of the built-in engine: decode, resample to the requested dpi, flatten the
/// lighting, denoise, binarize (Otsu) and deskew. The partial-method surface of [Cached]: the
/// generator writes <see cref="PrepareAsync"/>'s body, which calls <see cref="PrepareCoreAsync"/> on a miss.
/// </summary>
/// <remarks>
/// The library is read by the content hash, which is in the key, so it is not key state itself
/// ([NotCacheKey]); nor is the counter of misses.
/// </remarks>
public sealed partial class PagePreprocessor([NotCacheKey] DocumentLibrary documents, CacheManager cache)
{
    [NotCacheKey]
    private int _preparations;

    /// <summary>How many pages this process actually pre-processed (cache misses).</summary>
    public int Preparations => Volatile.Read(ref _preparations);

    // Every parameter that changes the pixels is in the key; a new language or model reuses the page.
    // The page's ink bytes are shared by every hit: readers never write to them.
    [Cached(Name = "ocr-pipeline.prepare", Ttl = 7 * 24 * 3600, AllowMutableResult = true)]
    public partial ValueTask<CleanPage> PrepareAsync(string documentHash, int dpi, string strategy, CancellationToken cancellationToken);

    private ValueTask<CleanPage> PrepareCoreAsync(string documentHash, int dpi, string strategy, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _preparations);
        var settings = Strategy.Parse(strategy);
        var image = GrayImage.FromPgm(documents.Get(documentHash).File);
        if (dpi != DocumentGenerator.Dpi)
        {
            image = ImageOps.Resample(image, dpi / (double)DocumentGenerator.Dpi);
        }

        ImageOps.FlattenBackground(image);
        for (var i = 0; i < settings.MedianPasses; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            image = ImageOps.Median3x3(image);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var threshold = ImageOps.OtsuThreshold(image);
        var skew = ImageOps.EstimateSkew(image, threshold, settings.SkewRange, settings.SkewStep);
        cancellationToken.ThrowIfCancellationRequested();
        if (Math.Abs(skew) > 0.05)
        {
            image = ImageOps.Rotate(image, -skew);
        }

        var page = new CleanPage(image.Width, image.Height, skew, threshold, ImageOps.Binarize(image, threshold));
        return new ValueTask<CleanPage>(page);
    }
}

/// <summary>The knobs behind a strategy name: more denoising and a finer skew search cost more time.</summary>
public sealed record Strategy(string Name, int MedianPasses, double SkewRange, double SkewStep)
{
    public static readonly IReadOnlyList<string> Names = ["fast", "balanced", "accurate"];

    public static Strategy Parse(string name) => name switch
    {
        "fast" => new Strategy(name, 0, 2, 0.5),
        "balanced" => new Strategy(name, 1, 3, 0.25),
        "accurate" => new Strategy(name, 2, 5, 0.1),
        _ => throw new ArgumentException($"Unknown strategy '{name}'; use one of: {string.Join(", ", Names)}.", nameof(name)),
    };
}
