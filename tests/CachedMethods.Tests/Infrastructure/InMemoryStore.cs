using System.Collections.Concurrent;

namespace CachedMethods.Tests.Infrastructure;

/// <summary>
/// A dictionary standing in for Redis: keeps envelopes as given and records every write with its TTL,
/// so tests can see what the engine promoted and with how much time left.
/// </summary>
public sealed class InMemoryStore(CacheTiers tier = CacheTiers.Redis, string name = "redis") : ICacheStore
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string StorageId, TimeSpan Ttl)> Writes { get; } = new();

    public ConcurrentQueue<string> Deletes { get; } = new();

    public IReadOnlyDictionary<string, byte[]> Entries => _entries;

    public CacheTiers Tier => tier;

    public string Name => name;

    public bool IsAvailable => true;

    public bool SupportsSynchronousIo => true;

    public void Put(string storageId, byte[] frame) => _entries[storageId] = frame;

    public byte[]? Get(string storageId) => _entries.TryGetValue(storageId, out var frame) ? frame : null;

    public ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken) => new(Get(storageId));

    public void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive)
    {
        _entries[storageId] = envelope.ToArray();
        Writes.Enqueue((storageId, timeToLive));
    }

    public ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Set(storageId, envelope, timeToLive);
        return ValueTask.CompletedTask;
    }

    public bool Delete(string storageId)
    {
        Deletes.Enqueue(storageId);
        return _entries.TryRemove(storageId, out _);
    }

    public ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken) => new(Delete(storageId));

    public long Clear()
    {
        var count = _entries.Count;
        _entries.Clear();
        return count;
    }

    public ValueTask<long> ClearAsync(CancellationToken cancellationToken) => new(Clear());

    public StoreUsage GetUsage() => new(_entries.Count, _entries.Values.Sum(static v => (long)v.Length));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
