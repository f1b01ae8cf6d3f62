using CachedMethods.Generated.Tests.Services;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Generated.Tests;

/// <summary>FailSafeSeconds from [Cached] reaches the engine: past the TTL, a failing method serves the stale value.</summary>
public sealed class FailSafeTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CacheFixture _cache;
    private readonly DocumentService _inner = new();
    private readonly CachedDocumentService _service;

    public FailSafeTests()
    {
        _cache = new CacheFixture(time: _time);
        _service = new CachedDocumentService(_inner, _cache.Manager);
    }

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task AFailingMethodServesTheStaleValueAfterTheTtl()
    {
        var first = await _service.QuoteAsync("EUR");
        Assert.Equal(first, await _service.QuoteAsync("EUR"));
        Assert.Equal(1, _inner.Calls);

        _time.Advance(TimeSpan.FromSeconds(2));
        _inner.Fail = true;

        Assert.Equal(first, await _service.QuoteAsync("EUR"));
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task PastTheFailSafeWindowTheExceptionPropagates()
    {
        await _service.QuoteAsync("EUR");

        _time.Advance(TimeSpan.FromSeconds(1 + 60 + 1));
        _inner.Fail = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _service.QuoteAsync("EUR"));
    }

    [Fact]
    public async Task WithoutFailSafeTheExceptionPropagates()
    {
        await _service.QuoteWithoutFailSafeAsync("EUR");

        _time.Advance(TimeSpan.FromSeconds(2));
        _inner.Fail = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _service.QuoteWithoutFailSafeAsync("EUR"));
    }

    [Fact]
    public async Task AfterTheTtlASucceedingMethodRunsAgain()
    {
        var first = await _service.QuoteAsync("EUR");

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.NotEqual(first, await _service.QuoteAsync("EUR"));
        Assert.Equal(2, _inner.Calls);
    }
}
