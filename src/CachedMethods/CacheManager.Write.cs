using CachedMethods.Internal;

namespace CachedMethods;

public sealed partial class CacheManager
{
    /// <summary>Stores <paramref name="value"/> in every enabled tier.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; <see langword="null"/> and empty values are cached like any other.</param>
    /// <param name="ttl">Time to live; <see langword="null"/> means the default TTL.</param>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public void Set<T>(string key, T value, TimeSpan? ttl = null) => Set(CacheKey.FromString(key), value, PrefixTags.AddTo(key, EntryOptions(ttl)));

    /// <summary>Stores <paramref name="value"/> in the tiers <paramref name="options"/> allow.</summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public void Set<T>(CacheKey key, T value, CacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_tiers.Any && _writer.Prepare(key, value, EntryPolicy.Of(options ?? _defaultEntryOptions, Options), throwIfUnserializable: true) is { } entry)
        {
            _writer.Write(key, value, entry);
        }
    }

    /// <summary>Stores <paramref name="value"/> in every enabled tier.</summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public ValueTask SetAsync<T>(string key, T value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        SetAsync(CacheKey.FromString(key), value, PrefixTags.AddTo(key, EntryOptions(ttl)), cancellationToken);

    /// <summary>Stores <paramref name="value"/> in the tiers <paramref name="options"/> allow.</summary>
    /// <remarks><paramref name="cancellationToken"/> stops the wait, not a write that has begun (see <see cref="DeleteAsync(CacheKey, CancellationToken)"/>).</remarks>
    /// <exception cref="CacheSerializationException">The value cannot be serialized; nothing was stored.</exception>
    public ValueTask SetAsync<T>(CacheKey key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        return _tiers.Any && _writer.Prepare(key, value, EntryPolicy.Of(options ?? _defaultEntryOptions, Options), throwIfUnserializable: true) is { } entry
            ? RunsToTheEnd(IgnoreOutcome(_writer.WriteAsync(key, value, entry, CancellationToken.None)), cancellationToken)
            : ValueTask.CompletedTask;
    }

    /// <summary>Removes <paramref name="key"/> from every tier; <see langword="true"/> when any tier held it.</summary>
    public bool Delete(string key) => Delete(CacheKey.FromString(key));

    /// <summary>
    /// Removes <paramref name="key"/> from every tier, then tells the other processes to drop their memory
    /// copies; <see langword="true"/> when any tier held it.
    /// </summary>
    public bool Delete(CacheKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _writer.Delete(key);
    }

    /// <summary>Removes <paramref name="key"/> from every tier; <see langword="true"/> when any tier held it.</summary>
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        DeleteAsync(CacheKey.FromString(key), cancellationToken);

    /// <summary>
    /// Removes <paramref name="key"/> from every tier, then tells the other processes to drop their memory
    /// copies; <see langword="true"/> when any tier held it.
    /// </summary>
    /// <remarks>
    /// <paramref name="cancellationToken"/> is honoured before the delete begins. Once it has begun, cancelling stops
    /// the caller's wait (an <see cref="OperationCanceledException"/>) and the delete runs to its end in the
    /// background, each step bounded by its tier's timeout: stopped halfway, Redis could lose the value while the
    /// other processes were never told to drop theirs. The same holds for every write, clear and invalidation.
    /// </remarks>
    public ValueTask<bool> DeleteAsync(CacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        return RunsToTheEnd(_writer.DeleteAsync(key, CancellationToken.None), cancellationToken);
    }

    /// <summary>
    /// Removes every entry of this cache from <paramref name="tiers"/> (Redis: only its prefix, by SCAN and
    /// UNLINK) and returns how many were removed. Synchronous: S3 is cleared in the background and not counted.
    /// </summary>
    public long Clear(CacheTiers tiers = CacheTiers.All) => _writer.Clear(tiers);

    /// <summary>Removes every entry of this cache from <paramref name="tiers"/> and returns how many were removed.</summary>
    /// <remarks><paramref name="cancellationToken"/> stops the wait, not a clear that has begun (see <see cref="DeleteAsync(CacheKey, CancellationToken)"/>).</remarks>
    public ValueTask<long> ClearAsync(CacheTiers tiers = CacheTiers.All, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return RunsToTheEnd(_writer.ClearAsync(tiers, CancellationToken.None), cancellationToken);
    }

    /// <summary>
    /// Invalidates every entry tagged <paramref name="tag"/> in every tier and every process: memory copies
    /// are dropped at once (here, and elsewhere through the coherence channel), and entries below memory
    /// created before now are treated as misses and deleted when next read.
    /// </summary>
    /// <remarks>
    /// Other processes learn of the invalidation through Redis. While Redis is unreachable they may keep
    /// serving their memory copies until those expire (the memory TTL bounds the staleness).
    /// <paramref name="cancellationToken"/> stops the wait, not an invalidation that has begun (see
    /// <see cref="DeleteAsync(CacheKey, CancellationToken)"/>).
    /// </remarks>
    public ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return InvalidateDigestAsync(TagDigest.Of(tag), cancellationToken);
    }

    /// <summary>
    /// Invalidates every string key that starts with <paramref name="prefix"/>, which must end with ':' or '/'
    /// (keys are tagged with each of their ':'- or '/'-terminated prefixes when written). Works like
    /// <see cref="InvalidateTagAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> does not end with ':' or '/', or has more than 16
    /// separators (keys are tagged at their first 16 only; see docs/reliability.md).</exception>
    public ValueTask InvalidatePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix[^1] is not (':' or '/'))
        {
            throw new ArgumentException($"Prefix '{prefix}' must end with ':' or '/', the separators keys are tagged at.", nameof(prefix));
        }

        if (PrefixTags.Depth(prefix) > PrefixTags.MaxPerKey)
        {
            throw new ArgumentException($"Prefix '{prefix}' has more than {PrefixTags.MaxPerKey} separators; keys are tagged at their first {PrefixTags.MaxPerKey} only.", nameof(prefix));
        }

        return InvalidateDigestAsync(PrefixTags.TagOf(prefix), cancellationToken);
    }

    // A set is never refused (it carries no start stamp and no lock): its outcome says nothing new.
    private static async ValueTask IgnoreOutcome(ValueTask<bool> write) => await write.ConfigureAwait(false);

    // Tags are kept and sent only as digests (TagDigest): the text given here never leaves the process.
    // Stamped on the fleet clock, like the entries it invalidates.
    private ValueTask InvalidateDigestAsync(string digest, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return RunsToTheEnd(_fleet.InvalidateTagAsync(digest, DateTimeOffset.FromUnixTimeMilliseconds(_fleet.Clock.Now()), CancellationToken.None), cancellationToken);
    }

    // A change that has begun runs to its end: the caller's token stops only its wait.
    private static ValueTask<T> RunsToTheEnd<T>(ValueTask<T> change, CancellationToken cancellationToken) =>
        change.IsCompleted || !cancellationToken.CanBeCanceled ? change : new ValueTask<T>(change.AsTask().WaitAsync(cancellationToken));

    private static ValueTask RunsToTheEnd(ValueTask change, CancellationToken cancellationToken) =>
        change.IsCompleted || !cancellationToken.CanBeCanceled ? change : new ValueTask(change.AsTask().WaitAsync(cancellationToken));

    private CacheEntryOptions EntryOptions(TimeSpan? ttl) =>
        ttl is null ? _defaultEntryOptions : new CacheEntryOptions { Ttl = ttl };
}

/// <summary>A value given to <c>Set</c> cannot be serialized. Nothing was stored.</summary>
public sealed class CacheSerializationException(string message, Exception innerException) : Exception(message, innerException);
