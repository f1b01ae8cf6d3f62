using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>The partial surface (sync, Task, ValueTask, static) and the class-implementation surface.</summary>
public sealed class PartialClassTests : IDisposable
{
    private readonly CacheFixture _cache = new();

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void SyncPartialMethodHits()
    {
        var renderer = new ReportRenderer(_cache.Manager);

        Assert.Equal("abab", renderer.Render("ab", 2));
        Assert.Equal("abab", renderer.Render("ab", 2));
        Assert.Equal("ababab", renderer.Render("ab", 3));
        Assert.Equal(2, renderer.Calls);
    }

    [Fact]
    public async Task TaskPartialMethodHits()
    {
        var renderer = new ReportRenderer(_cache.Manager);

        Assert.Equal(5, await renderer.MeasureAsync("hello", CancellationToken.None));
        Assert.Equal(5, await renderer.MeasureAsync("hello", CancellationToken.None));
        Assert.Equal(1, renderer.Calls);
    }

    [Fact]
    public async Task ValueTaskPartialMethodIgnoresNotCacheKey()
    {
        var calculator = new PriceCalculator(_cache.Manager);

        Assert.Equal(4.5m, await calculator.PriceAsync("abc", "trace-1"));
        Assert.Equal(4.5m, await calculator.PriceAsync("abc", "trace-2"));
        Assert.Equal(1, calculator.Calls);
    }

    [Fact]
    public void StaticPartialMethodKeysBytesByContent()
    {
        Hashing.Cache = _cache.Manager;
        var before = Hashing.Calls;

        var first = Hashing.Digest([1, 2, 3], new byte[] { 9 });
        var second = Hashing.Digest([1, 2, 3], new byte[] { 9 });
        Hashing.Digest([1, 2, 4], new byte[] { 9 });
        Hashing.Digest([1, 2, 3], new byte[] { 8 });

        Assert.Equal("010203/09", first);
        Assert.Equal(first, second);
        Assert.Equal(3, Hashing.Calls - before);
    }

    [Fact]
    public void ImplementationDecoratorCachesOnlyAttributedMembers()
    {
        var inner = new GeoService();
        IGeoService service = new CachedGeoService(inner, _cache.Manager);

        Assert.Equal("PARIS", service.Lookup("paris"));
        Assert.Equal("PARIS", service.Lookup("paris"));
        service.Ping();
        service.Ping();

        Assert.Equal(3, inner.Calls);
    }
}
