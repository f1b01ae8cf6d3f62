using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>The generated Invalidate{Method} methods and the Tags of [Cached], over the real engine (memory + disk).</summary>
public sealed class InvalidationTests : IDisposable
{
    private readonly CacheFixture _cache = new();
    private readonly DocumentService _inner = new();
    private readonly CachedDocumentService _service;

    public InvalidationTests() => _service = new CachedDocumentService(_inner, _cache.Manager);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task InvalidateAsyncEvictsExactlyThatEntryFromEveryTier()
    {
        var first = await _service.LoadAsync("doc-1", 300, null, CancellationToken.None);
        await _service.LoadAsync("doc-2", 300, null, CancellationToken.None);
        await _service.LoadAsync("doc-1", 150, null, CancellationToken.None);
        Assert.Equal(3, _inner.Calls);
        Assert.Equal(3, _cache.StorageIdsOnDisk().Count);

        Assert.True(await _service.InvalidateLoadAsync("doc-1", 300, CancellationToken.None));

        Assert.Equal(2, _cache.StorageIdsOnDisk().Count);
        var again = await _service.LoadAsync("doc-1", 300, "another request", CancellationToken.None);
        Assert.NotEqual(first, again);
        Assert.Equal(4, _inner.Calls);

        // The other arguments' entries still hit.
        await _service.LoadAsync("doc-2", 300, null, CancellationToken.None);
        await _service.LoadAsync("doc-1", 150, null, CancellationToken.None);
        Assert.Equal(4, _inner.Calls);
    }

    [Fact]
    public async Task InvalidatingWhatIsNotCachedReturnsFalse()
    {
        await _service.LoadAsync("doc-1", 300, null, CancellationToken.None);

        Assert.False(await _service.InvalidateLoadAsync("doc-1", 301));
        Assert.False(_service.InvalidateTitle("doc-1"));
        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public void SynchronousInvalidateEvictsTheEntry()
    {
        Assert.Equal("doc-1#1", _service.Title("doc-1"));
        Assert.Equal("doc-2#2", _service.Title("doc-2"));

        Assert.True(_service.InvalidateTitle("doc-1"));

        Assert.Equal("doc-1#3", _service.Title("doc-1"));
        Assert.Equal("doc-2#2", _service.Title("doc-2"));
        Assert.Equal(3, _inner.Calls);
    }

    [Fact]
    public async Task EachMethodHasOneInvalidatorNamedAfterIt()
    {
        // LoadAsync gets InvalidateLoadAsync and Title gets InvalidateTitle: a Foo/FooAsync pair cannot collide.
        await _service.LoadAsync("doc-1", 300, null, CancellationToken.None);
        Assert.True(await _service.InvalidateLoadAsync("doc-1", 300));

        _service.Title("doc-1");
        Assert.True(_service.InvalidateTitle("doc-1"));

        Assert.Empty(_cache.StorageIdsOnDisk());
    }

    [Fact]
    public async Task TagsFromTheAttributeReachTheEntry()
    {
        await _service.LoadAsync("doc-1", 300, null, CancellationToken.None);
        await _service.LoadAsync("doc-2", 150, null, CancellationToken.None);
        _service.Title("doc-1");
        Assert.Equal(3, _inner.Calls);

        await _cache.Manager.InvalidateTagAsync(DocumentService.Tag);

        // Both tagged entries run again (memory dropped, disk copies older than the invalidation); the untagged one hits.
        await _service.LoadAsync("doc-1", 300, null, CancellationToken.None);
        await _service.LoadAsync("doc-2", 150, null, CancellationToken.None);
        _service.Title("doc-1");
        Assert.Equal(5, _inner.Calls);
    }

    [Fact]
    public void PartialClassInvalidatorsEvictTheEntry()
    {
        var renderer = new ReportRenderer(_cache.Manager);
        renderer.Render("ab", 2);
        renderer.Render("ab", 3);

        Assert.True(renderer.InvalidateRender("ab", 2));

        renderer.Render("ab", 2);
        renderer.Render("ab", 3);
        Assert.Equal(3, renderer.Calls);
    }

    [Fact]
    public async Task PartialClassAsyncInvalidatorEvictsAMemoryOnlyEntry()
    {
        var renderer = new ReportRenderer(_cache.Manager);
        await renderer.MeasureAsync("hello", CancellationToken.None);

        Assert.True(await renderer.InvalidateMeasureAsync("hello"));

        await renderer.MeasureAsync("hello", CancellationToken.None);
        Assert.Equal(2, renderer.Calls);
    }
}
