namespace CachedMethods;

/// <summary>
/// A tier below memory: Redis, disk or S3. It stores opaque envelope bytes under a storage id (the hex
/// SHA-256 of a key) and knows nothing of types, TTL checks or checksums, which the engine owns.
/// </summary>
/// <remarks>
/// <para>
/// A store may throw on any failure: <see cref="CacheManager"/> wraps every store in a guard that
/// bounds each asynchronous call by a timeout, counts and logs the error, opens a circuit after
/// repeated failures and turns the call into a miss. A store's synchronous members must bound their
/// own duration (Redis: its sync timeout), since the guard cannot abandon a blocked thread without
/// blocking another.
/// </para>
/// <para>
/// A store whose client has no synchronous API (S3) reports <see cref="SupportsSynchronousIo"/> as
/// <see langword="false"/>: the engine's synchronous paths then treat its reads as misses and hand its
/// writes to a bounded background queue, and never block a thread on asynchronous work.
/// </para>
/// </remarks>
public interface ICacheStore : IAsyncDisposable
{
    /// <summary>The tier this store serves: <see cref="CacheTiers.Redis"/> or <see cref="CacheTiers.Persistent"/>.</summary>
    CacheTiers Tier { get; }

    /// <summary>A short name for logs and statistics: "redis", "disk", "s3".</summary>
    string Name { get; }

    /// <summary>Whether the store can serve calls now (for Redis: connected).</summary>
    bool IsAvailable { get; }

    /// <summary>Whether the synchronous members do real work without blocking on asynchronous code.</summary>
    bool SupportsSynchronousIo { get; }

    /// <summary>
    /// Whether every asynchronous member already fails within the operation timeout the engine was given
    /// for this store (Redis: the client's own timeout). The engine then awaits it without a timer of its
    /// own. Default <see langword="false"/>: the engine bounds each call.
    /// </summary>
    bool BoundsOwnCalls => false;

    /// <summary>Reads the envelope stored under <paramref name="storageId"/>, or <see langword="null"/>.</summary>
    byte[]? Get(string storageId);

    /// <summary>Reads the envelope stored under <paramref name="storageId"/>, or <see langword="null"/>.</summary>
    ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken);

    /// <summary>Stores an envelope that expires after <paramref name="timeToLive"/>.</summary>
    void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive);

    /// <summary>Stores an envelope that expires after <paramref name="timeToLive"/>.</summary>
    ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Removes an entry; <see langword="true"/> when one was there.</summary>
    bool Delete(string storageId);

    /// <summary>Removes an entry; <see langword="true"/> when one was there.</summary>
    ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken);

    /// <summary>Removes every entry of this cache (only its own prefix or folder) and returns how many.</summary>
    long Clear();

    /// <summary>Removes every entry of this cache (only its own prefix or folder) and returns how many.</summary>
    ValueTask<long> ClearAsync(CancellationToken cancellationToken);

    /// <summary>Entry count and bytes held, as far as the store knows them cheaply; -1 where unknown.</summary>
    StoreUsage GetUsage();
}

/// <summary>What a store holds.</summary>
/// <param name="Entries">Entries held, or -1 when unknown.</param>
/// <param name="Bytes">Bytes held, or -1 when unknown.</param>
public readonly record struct StoreUsage(long Entries, long Bytes)
{
    /// <summary>Nothing known.</summary>
    public static StoreUsage Unknown => new(-1, -1);
}
