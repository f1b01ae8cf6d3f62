using System.Collections.Concurrent;

namespace CachedMethods.Tests.Infrastructure;

/// <summary>
/// A dictionary-backed Redis that is also the fleet coordinator, and writes every store call and every
/// published message, in order, to one journal: what tests read to compare the order of I/O.
/// </summary>
public sealed class RecordingFleetStore : ICacheStore, ICacheCoordinator
{
    private readonly InMemoryStore _inner = new();

    public ConcurrentQueue<string> Journal { get; } = new();

    public CacheTiers Tier => _inner.Tier;
    public string Name => _inner.Name;
    public bool IsAvailable => true;
    public bool SupportsSynchronousIo => true;
    public string InstanceId { get; } = "recording";

    public event Action<CoherenceMessage>? MessageReceived
    {
        add { }
        remove { }
    }

    public byte[]? Get(string storageId) => Record("get", _inner.Get(storageId));

    public ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken) => new(Get(storageId));

    public void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive)
    {
        Journal.Enqueue("set");
        _inner.Set(storageId, envelope, timeToLive);
    }

    public ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Set(storageId, envelope, timeToLive);
        return ValueTask.CompletedTask;
    }

    public bool Delete(string storageId) => Record("delete", _inner.Delete(storageId));

    public ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken) => new(Delete(storageId));

    public long Clear() => Record("clear", _inner.Clear());

    public ValueTask<long> ClearAsync(CancellationToken cancellationToken) => new(Clear());

    public StoreUsage GetUsage() => _inner.GetUsage();

    public ValueTask PublishAsync(CoherenceMessage message)
    {
        Journal.Enqueue("publish " + message.Kind);
        return ValueTask.CompletedTask;
    }

    public ValueTask<string?> TryAcquireLockAsync(string storageId, TimeSpan expiry, CancellationToken cancellationToken) => new("token");

    public ValueTask<bool> RenewLockAsync(string storageId, string token, TimeSpan expiry) => new(true);

    public ValueTask ReleaseLockAsync(string storageId, string token) => ValueTask.CompletedTask;

    public ValueTask<bool> IsLockedAsync(string storageId, CancellationToken cancellationToken) => new(false);

    public ValueTask SetTagInvalidatedAsync(string tag, DateTimeOffset at, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<DateTimeOffset?> GetTagInvalidatedAsync(string tag, CancellationToken cancellationToken) => new((DateTimeOffset?)null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private T Record<T>(string call, T result)
    {
        Journal.Enqueue(call);
        return result;
    }
}
