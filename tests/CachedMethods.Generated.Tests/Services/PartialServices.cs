namespace CachedMethods.Generated.Tests.Services;

/// <summary>The partial surface: the generator writes Render's body; RenderCore is the uncached one.</summary>
public sealed partial class ReportRenderer(CacheManager cache)
{
    // Counts misses for the tests; it never changes a result.
    [NotCacheKey]
    public int Calls { get; private set; }

    [Cached(Ttl = 60)]
    public partial string Render(string template, int copies);

    [Cached(Tiers = CacheTiers.Memory)]
    public partial Task<int> MeasureAsync(string text, CancellationToken cancellationToken);

    private string RenderCore(string template, int copies)
    {
        Calls++;
        return string.Concat(Enumerable.Repeat(template, copies));
    }

    private async Task<int> MeasureCoreAsync(string text, CancellationToken cancellationToken)
    {
        Calls++;
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return text.Length;
    }

    internal CacheManager Cache => cache;
}

/// <summary>A static partial method takes its CacheManager from a static member.</summary>
public static partial class Hashing
{
    public static CacheManager? Cache { get; set; }

    [NotCacheKey]
    public static int Calls { get; set; }

    [Cached]
    public static partial string Digest(byte[] content, ReadOnlyMemory<byte> salt);

    private static string DigestCore(byte[] content, ReadOnlyMemory<byte> salt)
    {
        Calls++;
        return Convert.ToHexString(content) + "/" + Convert.ToHexString(salt.Span);
    }
}

/// <summary>A partial class whose CacheManager is a primary-constructor parameter and nothing else.</summary>
public partial class PriceCalculator(CacheManager cache)
{
    // Counts misses for the tests; it never changes a result.
    [NotCacheKey]
    public int Calls { get; private set; }

    [Cached(KeyParams = [nameof(sku)])]
    public partial ValueTask<decimal> PriceAsync(string sku, [NotCacheKey] string? traceId);

    protected virtual ValueTask<decimal> PriceCoreAsync(string sku, string? traceId)
    {
        Calls++;
        return new ValueTask<decimal>(sku.Length * 1.5m);
    }
}
