using CachedMethods;
using CachedMethods.TestSupport;

// The value these tests and the peer process exchange; its formatter is generated in this assembly.
[assembly: CacheSerializable(typeof(Page))]
