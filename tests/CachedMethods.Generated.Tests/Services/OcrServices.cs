namespace CachedMethods.Generated.Tests.Services;

public sealed record OcrResult(string Text, int Pages);

public sealed record PageRange(int First, int Last);

public enum Quality
{
    Draft,
    Best,
}

/// <summary>The interface surface: [Cached] on interface methods.</summary>
public interface IOcrService
{
    [Cached(Ttl = 3600)]
    ValueTask<OcrResult> RecognizeAsync(string documentHash, int dpi, [NotCacheKey] string? requestId, CancellationToken cancellationToken);

    [Cached(KeyParams = [nameof(documentHash), nameof(range)])]
    Task<OcrResult> RecognizeRangeAsync(string documentHash, PageRange range, [NotCacheKey] IProgress<int>? progress);

    [Cached]
    string Concat(string? a, string? b);

    [Cached]
    int Count(int value);

    [Cached]
    int Count(long value);

    [Cached]
    string Describe(DateTime when);

    [Cached]
    string Sign(double value);

    [Cached]
    int Sum(int[] values, List<Quality> qualities, IReadOnlyList<PageRange>? ranges, IEnumerable<string> tags);

    [Cached(Version = 1)]
    string Versioned(string input);

    string NotCached(string input);

    int Counter { get; set; }

    event EventHandler? Changed;
}
