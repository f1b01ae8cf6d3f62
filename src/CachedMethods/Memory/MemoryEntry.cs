using CachedMethods.Internal;
namespace CachedMethods;

/// <summary>
/// One value held by the <see cref="MemoryCacheStore"/>, with its full canonical key and its times (in the
/// store's clock units). An entry that leaves the store (removed, replaced, evicted, cleared) is detached:
/// a <see cref="MemoryIndex{TArgs}"/> that still finds it then treats it as a miss.
/// </summary>
internal sealed class MemoryEntry(byte[] key, object? value, long size, long freshUntil, long expiresAt, long retainUntil, IReadOnlyList<string>? tags, MethodCounters method)
{
    private MemoryIndexLink? _link;
    private object? _completedTask;
    private volatile bool _detached;

    public byte[] Key { get; } = key;
    public object? Value { get; } = value;
    public long Size { get; } = size;
    public long ExpiresAt { get; } = expiresAt;
    public long RetainUntil { get; } = retainUntil;
    public IReadOnlyList<string>? Tags { get; } = tags;

    /// <summary>The counters of the method this entry caches: a hit on it is counted there.</summary>
    public MethodCounters Method { get; } = method;

    public long FreshUntil = freshUntil;
    public long LastAccess;

    public bool Detached => _detached;

    /// <summary>
    /// A completed task of <paramref name="value"/>, this entry's value read as <typeparamref name="T"/>: made on
    /// the first <see cref="System.Threading.Tasks.Task{TResult}"/> hit and kept, so later hits of a method that
    /// returns <c>Task&lt;T&gt;</c> allocate nothing. The value never changes (an update stores a new entry), so
    /// the kept task always holds it; a read as another type makes and keeps its own.
    /// </summary>
    public Task<T> CompletedTask<T>(T value)
    {
        if (Volatile.Read(ref _completedTask) is Task<T> kept)
        {
            return kept;
        }

        var task = Task.FromResult(value);
        Volatile.Write(ref _completedTask, task);
        return task;
    }

    /// <summary>Records the index that points at this entry, so that detaching removes it there; <see langword="false"/> when one already does.</summary>
    public bool TryLink(MemoryIndexLink link) => Interlocked.CompareExchange(ref _link, link, null) is null;

    public bool IsLinked => Volatile.Read(ref _link) is not null;

    /// <summary>Marks the entry gone from the store and drops the index's pointer to it.</summary>
    public void Detach()
    {
        _detached = true;
        Interlocked.Exchange(ref _link, null)?.Unlink(this);
    }
}

/// <summary>Where a <see cref="MemoryEntry"/> is indexed: the one place to remove it from when it is detached.</summary>
internal abstract class MemoryIndexLink
{
    public abstract void Unlink(MemoryEntry entry);
}
