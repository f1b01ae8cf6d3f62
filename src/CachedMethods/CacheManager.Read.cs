using System.ComponentModel;

namespace CachedMethods;

public sealed partial class CacheManager
{
    /// <summary>
    /// Looks <paramref name="canonicalKey"/> up in the memory tier only. Takes no lock and allocates
    /// nothing: generated wrappers call it with a key built on the stack before anything else.
    /// </summary>
    /// <returns>
    /// <see langword="true"/> on a fresh hit, even when the cached value is <see langword="null"/>;
    /// <see langword="false"/> on a miss and for an entry due for refresh-ahead, which the get-or-create
    /// path then returns while it refreshes the entry.
    /// </returns>
    /// <remarks>For generated code; hidden from IntelliSense. See docs/generator.md, "Members for generated code".</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool TryGetMemory<T>(ReadOnlySpan<byte> canonicalKey, out T value)
    {
        if (_memory is not null && _memory.Lookup(canonicalKey, KeyHash.Compute(canonicalKey), out value, out var entry) == MemoryLookup.Fresh)
        {
            entry!.Method.MemoryHits.Increment();
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Reads <paramref name="key"/> from the first tier that has it, promoting it upward.</summary>
    /// <returns><see langword="true"/> on a hit, even when the cached value is <see langword="null"/> or empty.</returns>
    public bool TryGet<T>(string key, out T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var builder = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            builder.AppendRawKey(key);
            return ProbeMemory(builder.Written, KeyHash.Compute(builder.Written), null, out value) is MemoryLookup.Fresh or MemoryLookup.DueForRefresh
                || TryGetBelowMemory(builder.ToCacheKey(), out value);
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>Reads <paramref name="key"/> from the first tier that has it, promoting it upward.</summary>
    public bool TryGet<T>(CacheKey key, out T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ProbeMemory(key.Canonical, key.Hash, null, out value) is MemoryLookup.Fresh or MemoryLookup.DueForRefresh
            || TryGetBelowMemory(key, out value);
    }

    /// <summary>Reads <paramref name="key"/>; the result tells a cached <see langword="null"/> from a miss.</summary>
    public CacheResult<T> Get<T>(string key) => TryGet<T>(key, out var value) ? CacheResult<T>.Hit(value) : CacheResult<T>.Miss;

    /// <summary>Reads <paramref name="key"/>; the result tells a cached <see langword="null"/> from a miss.</summary>
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return GetAsync<T>(CacheKey.FromString(key), cancellationToken);
    }

    /// <summary>Reads <paramref name="key"/>; the result tells a cached <see langword="null"/> from a miss.</summary>
    public ValueTask<CacheResult<T>> GetAsync<T>(CacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ProbeMemory(key.Canonical, key.Hash, null, out T value) is MemoryLookup.Fresh or MemoryLookup.DueForRefresh
            ? new ValueTask<CacheResult<T>>(CacheResult<T>.Hit(value))
            : GetBelowMemoryAsync<T>(key, cancellationToken);
    }

    private bool TryGetBelowMemory<T>(CacheKey key, out T value)
    {
        CountPastMemory(key, CacheTiers.All);
        var read = _reader.Read<T>(key, CacheTiers.All);
        if (read.Found)
        {
            CountLowerHit(key);
        }

        value = read.Value;
        return read.Found;
    }

    private async ValueTask<CacheResult<T>> GetBelowMemoryAsync<T>(CacheKey key, CancellationToken cancellationToken)
    {
        CountPastMemory(key, CacheTiers.All);
        var read = await _reader.ReadAsync<T>(key, CacheTiers.All, 0, cancellationToken).ConfigureAwait(false);
        if (read.Found)
        {
            CountLowerHit(key);
        }

        return read.Found ? CacheResult<T>.Hit(read.Value) : CacheResult<T>.Miss;
    }
}
