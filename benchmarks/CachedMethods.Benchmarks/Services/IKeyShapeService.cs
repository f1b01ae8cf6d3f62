using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;

namespace CachedMethods.Benchmarks.Services;

/// <summary>The service of the key-shape group (2): the same trivial result, keyed by five argument shapes.</summary>
public interface IKeyShapeService
{
    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    Item ByInt(int id);

    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    Item ByShortString(string name);

    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    Item ByLongString(string text);

    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    Item ByComposite(int id, string name, Guid tenant);

    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    Item ByRecord(ItemQuery query);
}

/// <summary>The trivial implementation; every method returns the same preallocated item.</summary>
public sealed class KeyShapeService : IKeyShapeService
{
    private readonly Item _item = new(1, "item");

    /// <summary>How many times a method body ran: a warmed hit must leave it unchanged.</summary>
    public int Calls { get; private set; }

    public Item ByInt(int id) => Hit();

    public Item ByShortString(string name) => Hit();

    public Item ByLongString(string text) => Hit();

    public Item ByComposite(int id, string name, Guid tenant) => Hit();

    public Item ByRecord(ItemQuery query) => Hit();

    private Item Hit()
    {
        Calls++;
        return _item;
    }
}
