namespace CachedMethods.Generated.Tests.Services;

/// <summary>The uncached service: counts how often the cache let a call through.</summary>
public sealed class CountingOcrService : IOcrService
{
    private int _calls;

    public int Calls => _calls;

    public CancellationToken LastToken { get; private set; }

    public int Counter { get; set; }

    public event EventHandler? Changed;

    public ValueTask<OcrResult> RecognizeAsync(string documentHash, int dpi, string? requestId, CancellationToken cancellationToken)
    {
        Count();
        LastToken = cancellationToken;
        return new ValueTask<OcrResult>(new OcrResult($"{documentHash}@{dpi}", dpi / 100));
    }

    public async Task<OcrResult> RecognizeRangeAsync(string documentHash, PageRange range, IProgress<int>? progress)
    {
        Count();
        await Task.Yield();
        return new OcrResult($"{documentHash}:{range.First}-{range.Last}", range.Last - range.First + 1);
    }

    public string Concat(string? a, string? b)
    {
        Count();
        return $"{a ?? "<null>"}|{b ?? "<null>"}";
    }

    public int Count(int value)
    {
        Count();
        return value;
    }

    public int Count(long value)
    {
        Count();
        return (int)value + 1000;
    }

    public string Describe(DateTime when)
    {
        Count();
        return when.Kind.ToString();
    }

    public string Sign(double value)
    {
        Count();
        return double.IsNegative(value) ? "negative" : "positive";
    }

    public int Sum(int[] values, List<Quality> qualities, IReadOnlyList<PageRange>? ranges, IEnumerable<string> tags)
    {
        Count();
        return values.Sum() + qualities.Count + (ranges?.Count ?? -1) + tags.Count();
    }

    public string Versioned(string input)
    {
        Count();
        return input;
    }

    public string NotCached(string input)
    {
        Count();
        return input;
    }

    public void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);

    private void Count() => Interlocked.Increment(ref _calls);
}
