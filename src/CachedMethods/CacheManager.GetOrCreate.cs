using CachedMethods.Internal;

namespace CachedMethods;

public sealed partial class CacheManager
{
    /// <summary>
    /// Returns the cached value of <paramref name="key"/>, or runs <paramref name="factory"/> once for all
    /// concurrent callers in this process, caches its result in every allowed tier and returns it.
    /// </summary>
    /// <remarks>
    /// A factory exception reaches every waiting caller and nothing is cached. The factory runs on a token
    /// of its own: a caller's <paramref name="cancellationToken"/> stops that caller's wait, and the
    /// computation is cancelled only when every waiting caller has cancelled.
    /// </remarks>
    public ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return GetOrCreateAsync(key, factory, static (f, ct) => f(ct), options, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="GetOrCreateAsync{T}(string, Func{CancellationToken, ValueTask{T}}, CacheEntryOptions?, CancellationToken)"/>,
    /// passing <paramref name="state"/> to a static factory so that a hit allocates no closure.
    /// </summary>
    public ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        var builder = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            builder.AppendRawKey(key);
            var found = ProbeMemory(builder.Written, KeyHash.Compute(builder.Written), options, out T cached);
            return found == MemoryLookup.Fresh
                ? new ValueTask<T>(cached)
                : ResolveAsync(builder.ToCacheKey(), state, factory, PrefixTags.AddTo(key, options ?? _defaultEntryOptions), found, cached, cancellationToken);
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>The <see cref="CacheKey"/> form: for keys built once and reused.</summary>
    public ValueTask<T> GetOrCreateAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        var found = ProbeMemory(key.Canonical, key.Hash, options, out T cached);
        return found == MemoryLookup.Fresh
            ? new ValueTask<T>(cached)
            : ResolveAsync(key, state, factory, options ?? _defaultEntryOptions, found, cached, cancellationToken);
    }

    /// <summary>
    /// The form generated wrappers call with a key written on the stack by a <see cref="CacheKeyBuilder"/>:
    /// the memory tier is probed once, and a hit allocates nothing. Only a miss copies the key to the heap.
    /// </summary>
    public ValueTask<T> GetOrCreateAsync<TState, T>(ReadOnlySpan<byte> canonicalKey, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        GetOrCreateAsync(canonicalKey, state, factory, options, cancellationToken, out _);

    /// <summary>
    /// The span form for a method that returns <see cref="Task{TResult}"/>: a memory hit returns a completed task
    /// kept with the memory entry, so it allocates nothing, where <c>AsTask()</c> would allocate one per hit.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public Task<T> GetOrCreateTaskAsync<TState, T>(ReadOnlySpan<byte> canonicalKey, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        AsTask(GetOrCreateAsync(canonicalKey, state, factory, options, cancellationToken, out var hit), hit);

    /// <summary>The task of a get-or-create call: the one kept with <paramref name="hit"/> when it was served from memory.</summary>
    internal static Task<T> AsTask<T>(ValueTask<T> pending, MemoryEntry? hit) =>
        hit is not null && pending.IsCompletedSuccessfully ? hit.CompletedTask(pending.Result) : pending.AsTask();

    /// <summary>The span form that also gives the memory entry a fresh hit was served from, for a <see cref="MemoryIndex{TArgs}"/>.</summary>
    internal ValueTask<T> GetOrCreateAsync<TState, T>(ReadOnlySpan<byte> canonicalKey, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options, CancellationToken cancellationToken, out MemoryEntry? hit)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var found = ProbeMemory(canonicalKey, KeyHash.Compute(canonicalKey), options, out T cached, out hit);
        return found == MemoryLookup.Fresh
            ? new ValueTask<T>(cached)
            : ResolveAsync(new CacheKey(canonicalKey.ToArray()), state, factory, options ?? _defaultEntryOptions, found, cached, cancellationToken);
    }

    /// <summary>
    /// The synchronous form: reads every tier that has synchronous I/O and runs <paramref name="factory"/>
    /// once for all concurrent callers in this process. Never blocks on asynchronous code.
    /// </summary>
    public T GetOrCreate<T>(string key, Func<T> factory, CacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return GetOrCreate(CacheKey.FromString(key), factory, static f => f(), PrefixTags.AddTo(key, options ?? _defaultEntryOptions));
    }

    /// <summary>The synchronous form, with state for a static factory.</summary>
    /// <remarks>
    /// Refresh-ahead, fail-safe timeouts and distributed single-flight need the asynchronous form: here an
    /// entry due for refresh is served as it is until it expires.
    /// </remarks>
    public T GetOrCreate<TState, T>(CacheKey key, TState state, Func<TState, T> factory, CacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        return ProbeMemory(key.Canonical, key.Hash, options, out T cached) is MemoryLookup.Fresh or MemoryLookup.DueForRefresh
            ? cached
            : Resolve(key, state, factory, options ?? _defaultEntryOptions);
    }

    /// <summary>The synchronous form for a key written on the stack: one memory probe, nothing allocated on a hit.</summary>
    /// <remarks>See <see cref="GetOrCreate{TState, T}(CacheKey, TState, Func{TState, T}, CacheEntryOptions?)"/>.</remarks>
    public T GetOrCreate<TState, T>(ReadOnlySpan<byte> canonicalKey, TState state, Func<TState, T> factory, CacheEntryOptions? options = null) =>
        GetOrCreate(canonicalKey, state, factory, options, out _);

    /// <summary>The synchronous span form that also gives the memory entry a fresh hit was served from.</summary>
    internal T GetOrCreate<TState, T>(ReadOnlySpan<byte> canonicalKey, TState state, Func<TState, T> factory, CacheEntryOptions? options, out MemoryEntry? hit)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return ProbeMemory(canonicalKey, KeyHash.Compute(canonicalKey), options, out T cached, out hit) is MemoryLookup.Fresh or MemoryLookup.DueForRefresh
            ? cached
            : Resolve(new CacheKey(canonicalKey.ToArray()), state, factory, options ?? _defaultEntryOptions);
    }

    /// <summary>
    /// The memory index of one generated call site (<paramref name="site"/>: an object that belongs to that
    /// site alone, compared by reference), shared by every wrapper over this engine.
    /// </summary>
    /// <typeparam name="TArgs">A value tuple of the site's key arguments; see <see cref="MemoryIndex{TArgs}"/>.</typeparam>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public MemoryIndex<TArgs> GetMemoryIndex<TArgs>(object site)
        where TArgs : struct, IEquatable<TArgs>
    {
        ArgumentNullException.ThrowIfNull(site);
        return (MemoryIndex<TArgs>)_indexes.GetOrAdd(site, static (_, self) => new MemoryIndex<TArgs>(self, self._memory), this);
    }

    /// <summary>The one memory probe of a get-or-create call; a fresh entry or one due for refresh is counted as a hit.</summary>
    private MemoryLookup ProbeMemory<T>(ReadOnlySpan<byte> canonicalKey, KeyHash hash, CacheEntryOptions? options, out T value) =>
        ProbeMemory(canonicalKey, hash, options, out value, out _);

    /// <summary>The one memory probe, giving the entry of a fresh hit.</summary>
    private MemoryLookup ProbeMemory<T>(ReadOnlySpan<byte> canonicalKey, KeyHash hash, CacheEntryOptions? options, out T value, out MemoryEntry? hit)
    {
        hit = null;
        if (_memory is null || (options is not null && (options.Tiers & CacheTiers.Memory) == 0))
        {
            value = default!;
            return MemoryLookup.Miss;
        }

        var found = _memory.Lookup(canonicalKey, hash, out value, out var entry);
        if (found is MemoryLookup.Fresh or MemoryLookup.DueForRefresh)
        {
            entry!.Method.MemoryHits.Increment();
            hit = found == MemoryLookup.Fresh ? entry : null;
        }

        return found;
    }
}
