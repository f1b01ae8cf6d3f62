using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>Version bumps and result-shape changes miss; the same Name, Version and shape share entries.</summary>
public sealed class SchemaTests : IDisposable
{
    private readonly CacheFixture _cache = new();
    private readonly CountingPeople _inner = new();

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void SameNameVersionAndShapeShareOneEntry()
    {
        // The control for the two tests below: a Name is the whole scope, so these two share entries.
        new CachedConverterV1(_inner, _cache.Manager).Convert("abc");
        new CachedConverterV1Again(_inner, _cache.Manager).Convert("abc");

        Assert.Equal(1, _inner.Calls);
    }

    [Fact]
    public void BumpingVersionMisses()
    {
        new CachedConverterV1(_inner, _cache.Manager).Convert("abc");
        new CachedConverterV2(_inner, _cache.Manager).Convert("abc");

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void ChangingTheResultShapeMisses()
    {
        var v1 = new CachedPeopleV1(_inner, _cache.Manager).Find(7);
        var v2 = new CachedPeopleV2(_inner, _cache.Manager).Find(7);

        Assert.Equal(new PersonV1("p7"), v1);
        Assert.Equal(new PersonV2("p7", 7), v2);
        Assert.Equal(2, _inner.Calls);
    }
}
