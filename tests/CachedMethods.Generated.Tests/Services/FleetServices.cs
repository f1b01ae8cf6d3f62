namespace CachedMethods.Generated.Tests.Services;

/// <summary>Tags and fail-safe from [Cached], and the generated invalidation methods, on the interface surface.</summary>
public interface IDocumentService
{
    [Cached(Tags = [DocumentService.Tag])]
    ValueTask<string> LoadAsync(string documentHash, int dpi, [NotCacheKey] string? requestId, CancellationToken cancellationToken);

    [Cached]
    string Title(string documentHash);

    [Cached(Ttl = 1, FailSafeSeconds = 60)]
    Task<string> QuoteAsync(string symbol);

    [Cached(Ttl = 1)]
    Task<string> QuoteWithoutFailSafeAsync(string symbol);
}

/// <summary>The uncached service: counts its calls and, when told to, fails like a feed that is down.</summary>
public sealed class DocumentService : IDocumentService
{
    public const string Tag = "documents";

    private int _calls;

    public int Calls => _calls;

    public bool Fail { get; set; }

    public ValueTask<string> LoadAsync(string documentHash, int dpi, string? requestId, CancellationToken cancellationToken) =>
        new($"{documentHash}@{dpi}#{Count()}");

    public string Title(string documentHash) => $"{documentHash}#{Count()}";

    public Task<string> QuoteAsync(string symbol) => Quote(symbol);

    public Task<string> QuoteWithoutFailSafeAsync(string symbol) => Quote(symbol);

    private Task<string> Quote(string symbol)
    {
        var call = Count();
        return Fail
            ? Task.FromException<string>(new InvalidOperationException("The quote feed is down."))
            : Task.FromResult($"{symbol}#{call}");
    }

    private int Count() => Interlocked.Increment(ref _calls);
}
