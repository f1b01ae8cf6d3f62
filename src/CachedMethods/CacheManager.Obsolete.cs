using System.ComponentModel;

namespace CachedMethods;

// The names this class had before the tier/store vocabulary was settled: a tier is a level of the
// engine (CacheTiers), a store is what serves it. Kept so that code written against them compiles.
public sealed partial class CacheManager
{
    /// <summary>Renamed <see cref="CacheEnvironment"/>: this name hid <see cref="System.Environment"/> inside the class.</summary>
    [Obsolete("Renamed CacheEnvironment.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public CacheEnvironment Environment => CacheEnvironment;

    /// <summary>Renamed <see cref="MemoryStore"/>.</summary>
    [Obsolete("Renamed MemoryStore.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public MemoryCacheTier? MemoryTier => _memory;

    /// <summary>Renamed <see cref="RedisStore"/>.</summary>
    [Obsolete("Renamed RedisStore.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ICacheStore? RedisTier => RedisStore;

    /// <summary>Renamed <see cref="PersistentStore"/>.</summary>
    [Obsolete("Renamed PersistentStore.")]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ICacheStore? PersistentTier => PersistentStore;
}
