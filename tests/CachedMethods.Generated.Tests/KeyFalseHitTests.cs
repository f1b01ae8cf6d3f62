using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>
/// The false hits of issue 11, pinned through the real engine: two different inputs compute twice, and
/// the same input (in any order, for sets and dictionaries) computes once.
/// </summary>
public sealed class KeyFalseHitTests : IDisposable
{
    private readonly CacheFixture _cache = new();
    private readonly KeyProbe _inner = new();
    private readonly CachedKeyProbe _probe;

    public KeyFalseHitTests() => _probe = new CachedKeyProbe(_inner, _cache.Manager);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void ALoneSurrogateAndTheReplacementCharacterAreTwoKeys()
    {
        Assert.Equal("x\uD800", _probe.Echo("x\uD800"));
        Assert.Equal("x\uFFFD", _probe.Echo("x\uFFFD"));
        Assert.Equal("x\uD800", _probe.Echo("x\uD800"));
        Assert.Equal("x\uFFFD", _probe.Echo("x\uFFFD"));

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void OverloadsWithTheSameArgumentAreTwoKeys()
    {
        var plain = _probe.Count(5);
        var nullable = _probe.Count((int?)5);
        _probe.Count(5);
        _probe.Count((int?)5);

        Assert.Equal(1, plain);
        Assert.Equal(8, nullable);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void DictionariesAreKeyedByTheirEntriesInAnyOrder()
    {
        var first = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };
        var reordered = new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 };
        var other = new Dictionary<string, int> { ["a"] = 1, ["b"] = 3 };

        _probe.Total(first);
        _probe.Total(reordered);
        Assert.Equal(1, _inner.Calls);

        _probe.Total(other);
        _probe.Total(new Dictionary<string, int> { ["a"] = 1 });
        Assert.Equal(3, _inner.Calls);
    }

    [Fact]
    public void SetsAreKeyedByTheirElementsInAnyOrder()
    {
        _probe.Distinct(["x", "y", "z"]);
        _probe.Distinct(["z", "x", "y"]);
        Assert.Equal(1, _inner.Calls);

        _probe.Distinct(["x", "y"]);
        _probe.Distinct(["x", "y", "w"]);
        Assert.Equal(3, _inner.Calls);
    }

    [Fact]
    public void PairsTuplesAndImmutableArraysAreKeyedByValue()
    {
        _probe.Pairs([new("a", 1)]);
        _probe.Pairs([new("a", 1)]);
        _probe.Pairs([new("a", 2)]);
        _probe.Describe((1, "one"));
        _probe.Describe((1, "one"));
        _probe.Describe((1, "uno"));
        _probe.Length([1, 2]);
        _probe.Length([1, 2]);
        _probe.Length([2, 1]);
        _probe.Length(default);
        _probe.Length([]);

        Assert.Equal(8, _inner.Calls);
    }

    [Fact]
    public void AGenericMethodIsKeyedByItsTypeArgument()
    {
        Assert.Equal("Int327", _probe.TypeName<int>("7"));
        Assert.Equal("String7", _probe.TypeName<string>("7"));
        Assert.Equal("Int327", _probe.TypeName<int>("7"));

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public void ParametersNamedLikeGeneratedMembersDoNotShadowThem()
    {
        var argument = new KeyProbe();

        Assert.Equal("inner:x1", _probe.Shadowed("x", argument, 1));
        Assert.Equal("inner:x1", _probe.Shadowed("x", argument, 1));

        // The wrapped service computed it once; the argument named _inner was never called.
        Assert.Equal(1, _inner.Calls);
        Assert.Equal(0, argument.Calls);
    }

    [Fact]
    public void InstanceStateMarkedCacheKeyTellsInstancesApart()
    {
        var english = new Translator("en", _cache.Manager);
        var french = new Translator("fr", _cache.Manager);
        var englishAgain = new Translator("en", _cache.Manager);

        Assert.Equal("Hello Ada", english.Greet("Ada"));
        Assert.Equal("Bonjour Ada", french.Greet("Ada"));
        Assert.Equal("Hello Ada", englishAgain.Greet("Ada"));

        Assert.Equal(1, english.Calls);
        Assert.Equal(1, french.Calls);
        Assert.Equal(0, englishAgain.Calls);
    }

    [Fact]
    public void InvalidatorsTakeTheSameShapes()
    {
        _probe.Total(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });

        Assert.True(_probe.InvalidateTotal(new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 }));
        Assert.False(_probe.InvalidateTotal(new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 }));
        Assert.True(_probe.InvalidateTypeName<int>("7") is false);
    }
}
