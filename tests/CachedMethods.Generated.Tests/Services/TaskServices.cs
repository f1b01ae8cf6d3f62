namespace CachedMethods.Generated.Tests.Services;

/// <summary>Task&lt;T&gt;-returning methods, one keyed by plain values (the decorator's memory index) and one by a record.</summary>
public interface IPageService
{
    [Cached]
    Task<string> TitleAsync(string documentHash, int page);

    [Cached]
    Task<string> RangeTitleAsync(string documentHash, PageRange range);
}

public sealed class PageService : IPageService
{
    private int _calls;

    public int Calls => _calls;

    public Task<string> TitleAsync(string documentHash, int page) =>
        Task.FromResult($"{documentHash}/{page}#{Interlocked.Increment(ref _calls)}");

    public Task<string> RangeTitleAsync(string documentHash, PageRange range) =>
        Task.FromResult($"{documentHash}/{range.First}-{range.Last}#{Interlocked.Increment(ref _calls)}");
}
