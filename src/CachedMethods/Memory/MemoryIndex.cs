using System.Collections.Concurrent;
using System.ComponentModel;

namespace CachedMethods;

/// <summary>
/// An index of the memory tier by a cached method's arguments, for generated wrappers: a hit is found
/// from the arguments themselves, without writing and hashing the canonical key. Get one per method and
/// engine with <see cref="CacheManager.GetMemoryIndex{TArgs}"/>.
/// </summary>
/// <typeparam name="TArgs">
/// A value tuple of the method's key arguments. Two tuples must be equal exactly when the canonical keys
/// written from them are: the generator uses an index only for key parameters of integer, bool, char,
/// string, <see cref="Guid"/> and enum types, whose equality is that of their encoding.
/// </typeparam>
/// <remarks>
/// The index only points at entries the memory tier holds: it is filled by a call that found its entry by
/// the canonical key, and an entry that leaves the tier (removed, replaced, evicted, invalidated) leaves
/// the index with it. A miss here is never an answer: the call then goes the canonical way. Thread-safe.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MemoryIndex<TArgs>
    where TArgs : struct, IEquatable<TArgs>
{
    private readonly ConcurrentDictionary<TArgs, MemoryEntry> _entries = new();
    private readonly CacheManager _cache;
    private readonly MemoryCacheStore? _memory;

    internal MemoryIndex(CacheManager cache, MemoryCacheStore? memory)
    {
        _cache = cache;
        _memory = memory;
    }

    /// <summary>Entries the index points at: at most the memory tier's.</summary>
    public int Count => _entries.Count;

    /// <summary>A fresh memory hit for <paramref name="args"/>, found without the canonical key; counted like any memory hit.</summary>
    public bool TryGet<T>(TArgs args, out T value)
    {
        if (_entries.TryGetValue(args, out var entry) && _memory!.TryReadFresh(entry, out value))
        {
            entry.Method.MemoryHits.Increment();
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// <see cref="TryGet{T}"/> for a method that returns <see cref="Task{TResult}"/>: the completed task is kept
    /// with the memory entry, so a hit allocates nothing.
    /// </summary>
    public bool TryGetTask<T>(TArgs args, out Task<T> task)
    {
        if (_entries.TryGetValue(args, out var entry) && _memory!.TryReadFresh(entry, out T value))
        {
            entry.Method.MemoryHits.Increment();
            task = entry.CompletedTask(value);
            return true;
        }

        task = null!;
        return false;
    }

    /// <summary>
    /// <see cref="CacheManager.GetOrCreate{TState, T}(ReadOnlySpan{byte}, TState, Func{TState, T}, CacheEntryOptions?)"/>,
    /// then indexes the memory entry it was served from under <paramref name="args"/>.
    /// </summary>
    public T GetOrCreate<TState, T>(ReadOnlySpan<byte> canonicalKey, TArgs args, TState state, Func<TState, T> factory, CacheEntryOptions? options = null)
    {
        var value = _cache.GetOrCreate(canonicalKey, state, factory, options, out var entry);
        Link(args, entry);
        return value;
    }

    /// <summary>
    /// <see cref="CacheManager.GetOrCreateAsync{TState, T}(ReadOnlySpan{byte}, TState, Func{TState, CancellationToken, ValueTask{T}}, CacheEntryOptions?, CancellationToken)"/>,
    /// then indexes the memory entry it was served from under <paramref name="args"/>.
    /// </summary>
    public ValueTask<T> GetOrCreateAsync<TState, T>(ReadOnlySpan<byte> canonicalKey, TArgs args, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var pending = _cache.GetOrCreateAsync(canonicalKey, state, factory, options, cancellationToken, out var entry);
        Link(args, entry);
        return pending;
    }

    /// <summary>
    /// <see cref="GetOrCreateAsync{TState, T}"/> for a method that returns <see cref="Task{TResult}"/>: a memory hit
    /// returns the completed task kept with its entry.
    /// </summary>
    public Task<T> GetOrCreateTaskAsync<TState, T>(ReadOnlySpan<byte> canonicalKey, TArgs args, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var pending = _cache.GetOrCreateAsync(canonicalKey, state, factory, options, cancellationToken, out var entry);
        Link(args, entry);
        return CacheManager.AsTask(pending, entry);
    }

    private void Link(TArgs args, MemoryEntry? entry)
    {
        // Only an entry found by its canonical key is indexed: the first call after a write goes that way once.
        if (entry is null || entry.IsLinked || entry.Detached || !entry.TryLink(new IndexLink(this, args)))
        {
            return;
        }

        _entries[args] = entry;
        if (entry.Detached)
        {
            // Detached while being indexed: its unlink may have run before the line above.
            _entries.TryRemove(new KeyValuePair<TArgs, MemoryEntry>(args, entry));
        }
    }

    private sealed class IndexLink(MemoryIndex<TArgs> index, TArgs args) : MemoryIndexLink
    {
        public override void Unlink(MemoryEntry entry) =>
            index._entries.TryRemove(new KeyValuePair<TArgs, MemoryEntry>(args, entry));
    }
}
