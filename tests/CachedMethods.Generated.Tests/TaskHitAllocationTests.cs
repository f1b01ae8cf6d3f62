using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>
/// A memory hit of a method that returns <see cref="Task{TResult}"/> allocates nothing: the completed task is
/// kept with the memory entry, on the decorator's index path, its canonical-key path and a partial method.
/// </summary>
public sealed class TaskHitAllocationTests : IDisposable
{
    private const int WarmUpCalls = 200;
    private const int MeasuredCalls = 1_000;

    private readonly CacheFixture _cache = new();

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void IndexedDecoratorHitAllocatesNothing()
    {
        var inner = new PageService();
        var service = new CachedPageService(inner, _cache.Manager);

        var allocated = AllocatedByHits(() => service.TitleAsync("doc-1", 3));

        Assert.Equal(0, allocated);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public void CanonicalKeyDecoratorHitAllocatesNothing()
    {
        var inner = new PageService();
        var service = new CachedPageService(inner, _cache.Manager);
        var range = new PageRange(1, 3);

        var allocated = AllocatedByHits(() => service.RangeTitleAsync("doc-1", range));

        Assert.Equal(0, allocated);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public void PartialMethodHitAllocatesNothing()
    {
        var renderer = new ReportRenderer(_cache.Manager);

        var allocated = AllocatedByHits(() => renderer.MeasureAsync("hello", CancellationToken.None));

        Assert.Equal(0, allocated);
        Assert.Equal(1, renderer.Calls);
    }

    [Fact]
    public async Task EveryHitReturnsTheValueThatWasStored()
    {
        var inner = new PageService();
        var service = new CachedPageService(inner, _cache.Manager);

        var first = await service.TitleAsync("doc-2", 1);
        var hits = new[] { await service.TitleAsync("doc-2", 1), await service.TitleAsync("doc-2", 1) };
        var other = await service.TitleAsync("doc-2", 2);

        Assert.Equal("doc-2/1#1", first);
        Assert.All(hits, hit => Assert.Equal(first, hit));
        Assert.Equal("doc-2/2#2", other);
    }

    /// <summary>
    /// The bytes this thread allocates over <see cref="MeasuredCalls"/> hits, after <see cref="WarmUpCalls"/> calls
    /// that store the entry (the first may complete asynchronously), index it and run every lazy first-call path.
    /// Each measured hit must complete synchronously.
    /// </summary>
    private static long AllocatedByHits<T>(Func<Task<T>> call)
    {
        for (var i = 0; i < WarmUpCalls; i++)
        {
            var warm = call();
            Assert.True(warm.IsCompletedSuccessfully || i == 0);
            warm.GetAwaiter().GetResult();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var completed = 0;
        for (var i = 0; i < MeasuredCalls; i++)
        {
            completed += call().IsCompletedSuccessfully ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(MeasuredCalls, completed);
        return allocated;
    }
}
