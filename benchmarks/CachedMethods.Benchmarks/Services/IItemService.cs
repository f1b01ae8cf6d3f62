using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;

namespace CachedMethods.Benchmarks.Services;

/// <summary>
/// The service of the memory-hit group (1): one trivial method in each of the three return shapes the
/// generator supports. Every contender and baseline keys by (method, <c>id</c>).
/// </summary>
public interface IItemService
{
    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    Item GetItem(int id);

    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    Task<Item> GetItemTaskAsync(int id, CancellationToken cancellationToken = default);

    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    ValueTask<Item> GetItemValueTaskAsync(int id, CancellationToken cancellationToken = default);
}

/// <summary>
/// The trivial implementation: it returns a preallocated item, so the uncached call costs a virtual call
/// and an array read, and a wrapper's overhead is its time minus this one.
/// </summary>
public sealed class ItemService : IItemService
{
    private readonly Item[] _items = Enumerable.Range(0, 256).Select(static i => new Item(i, $"item-{i}")).ToArray();

    /// <summary>
    /// How many times a method body ran: a warmed hit must leave it unchanged. A plain increment, not an
    /// interlocked one, so that the "direct call" baseline stays a trivial call; this group runs on one thread.
    /// </summary>
    public int Calls { get; private set; }

    public Item GetItem(int id)
    {
        Calls++;
        return _items[id & 0xFF];
    }

    public Task<Item> GetItemTaskAsync(int id, CancellationToken cancellationToken = default) =>
        Task.FromResult(GetItem(id));

    public ValueTask<Item> GetItemValueTaskAsync(int id, CancellationToken cancellationToken = default) =>
        new(GetItem(id));
}
