using CachedMethods;
using CachedMethods.TestSupport;

// The value the peer process reads and writes; its formatter is generated in this assembly.
[assembly: CacheSerializable(typeof(Page))]
