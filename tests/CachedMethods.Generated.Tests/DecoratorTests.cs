using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>The interface surface over the real engine: what hits, what misses.</summary>
public sealed class DecoratorTests : IDisposable
{
    private readonly CacheFixture _cache = new();
    private readonly CountingOcrService _inner = new();
    private readonly IOcrService _service;

    public DecoratorTests() => _service = new CachedOcrService(_inner, _cache.Manager);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void SecondCallHits()
    {
        var first = _service.Concat("a", "b");
        var second = _service.Concat("a", "b");

        Assert.Equal("a|b", first);
        Assert.Equal(first, second);
        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public async Task ValueTaskSecondCallHits()
    {
        var first = await _service.RecognizeAsync("doc-1", 300, null, CancellationToken.None);
        var second = await _service.RecognizeAsync("doc-1", 300, null, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(1, _inner.Calls);
        Assert.Equal(new OcrResult("doc-1@300", 3), second);
    }

    [Fact]
    public async Task TaskSecondCallHits()
    {
        var first = await _service.RecognizeRangeAsync("doc-1", new PageRange(1, 3), null);
        var second = await _service.RecognizeRangeAsync("doc-1", new PageRange(1, 3), null);

        Assert.Equal(first, second);
        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public void AdjacentStringsDoNotRunTogether()
    {
        Assert.Equal("ab|c", _service.Concat("ab", "c"));
        Assert.Equal("a|bc", _service.Concat("a", "bc"));
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void NullAndEmptyAreDifferentKeys()
    {
        Assert.Equal("<null>|x", _service.Concat(null, "x"));
        Assert.Equal("|x", _service.Concat("", "x"));
        Assert.Equal("<null>|x", _service.Concat(null, "x"));
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void IntAndLongOverloadsAreDifferentKeys()
    {
        Assert.Equal(1, _service.Count(1));
        Assert.Equal(1001, _service.Count(1L));
        Assert.Equal(1, _service.Count(1));
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void DateTimeKindIsPartOfTheKey()
    {
        var ticks = new DateTime(2024, 5, 1, 12, 0, 0).Ticks;

        Assert.Equal("Utc", _service.Describe(new DateTime(ticks, DateTimeKind.Utc)));
        Assert.Equal("Local", _service.Describe(new DateTime(ticks, DateTimeKind.Local)));
        Assert.Equal("Unspecified", _service.Describe(new DateTime(ticks, DateTimeKind.Unspecified)));
        Assert.Equal("Utc", _service.Describe(new DateTime(ticks, DateTimeKind.Utc)));
        Assert.Equal(3, _inner.Calls);
    }

    [Fact]
    public void NegativeZeroAndZeroAreDifferentKeysByDesign()
    {
        // Doubles are keyed by their exact bits (see CacheKeyBuilder): -0.0 costs one extra miss, never a wrong hit.
        Assert.Equal("negative", _service.Sign(-0.0));
        Assert.Equal("positive", _service.Sign(0.0));
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void CollectionsAreKeyedByContentInOrder()
    {
        var first = _service.Sum([1, 2], [Quality.Best], [new PageRange(1, 2)], Enumerable.Range(0, 2).Select(i => "t" + i));
        var sameContent = _service.Sum([1, 2], [Quality.Best], [new PageRange(1, 2)], ["t0", "t1"]);
        Assert.Equal(first, sameContent);
        Assert.Equal(1, _inner.Calls);

        _service.Sum([2, 1], [Quality.Best], [new PageRange(1, 2)], ["t0", "t1"]);
        _service.Sum([1, 2], [Quality.Draft], [new PageRange(1, 2)], ["t0", "t1"]);
        _service.Sum([1, 2], [Quality.Best], [new PageRange(1, 3)], ["t0", "t1"]);
        _service.Sum([1, 2], [Quality.Best], null, ["t0", "t1"]);
        _service.Sum([1, 2], [Quality.Best], [], ["t0", "t1"]);
        _service.Sum([1, 2], [Quality.Best], [new PageRange(1, 2)], ["t1", "t0"]);
        Assert.Equal(7, _inner.Calls);
    }

    [Fact]
    public void LazySequenceIsEnumeratedOnce()
    {
        var enumerations = 0;
        IEnumerable<string> Tags()
        {
            enumerations++;
            yield return "a";
        }

        _service.Sum([1], [], null, Tags());

        Assert.Equal(1, enumerations);
        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public async Task NotCacheKeyParametersDoNotChangeTheKey()
    {
        await _service.RecognizeAsync("doc-2", 300, "request-1", CancellationToken.None);
        await _service.RecognizeAsync("doc-2", 300, "request-2", CancellationToken.None);
        await _service.RecognizeRangeAsync("doc-2", new PageRange(1, 1), new Progress<int>());
        await _service.RecognizeRangeAsync("doc-2", new PageRange(1, 1), null);

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task KeyParametersDoChangeTheKey()
    {
        await _service.RecognizeAsync("doc-3", 300, null, CancellationToken.None);
        await _service.RecognizeAsync("doc-3", 600, null, CancellationToken.None);
        await _service.RecognizeAsync("doc-4", 300, null, CancellationToken.None);
        await _service.RecognizeRangeAsync("doc-3", new PageRange(1, 2), null);
        await _service.RecognizeRangeAsync("doc-3", new PageRange(2, 2), null);

        Assert.Equal(5, _inner.Calls);
    }

    [Fact]
    public async Task TheFactoryGetsTheEnginesTokenNotTheCallers()
    {
        using var caller = new CancellationTokenSource();
        await _service.RecognizeAsync("doc-5", 300, null, caller.Token);

        Assert.NotEqual(caller.Token, _inner.LastToken);
    }

    [Fact]
    public void MembersWithoutCachedCallTheInnerInstance()
    {
        _service.NotCached("x");
        _service.NotCached("x");
        _service.Counter = 42;
        var raised = 0;
        _service.Changed += (_, _) => raised++;
        _inner.RaiseChanged();

        Assert.Equal(2, _inner.Calls);
        Assert.Equal(42, _inner.Counter);
        Assert.Equal(42, _service.Counter);
        Assert.Equal(1, raised);
    }

    [Fact]
    public void VersionIsPartOfTheKey()
    {
        _service.Versioned("v");
        _service.Versioned("v");
        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public void TheDiskTierServesANewProcessWithEmptyMemory()
    {
        _service.Concat("disk", "tier");
        _cache.Manager.Dispose();

        using var restarted = new CacheFixture(_cache.DiskPath);
        var service = new CachedOcrService(_inner, restarted.Manager);

        Assert.Equal("disk|tier", service.Concat("disk", "tier"));
        Assert.Equal(1, _inner.Calls);
    }
}
