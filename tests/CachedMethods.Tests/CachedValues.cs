using CachedMethods;
using CachedMethods.Tests.Infrastructure;

// The values these tests give the engine directly: the generator writes their formatters (no reflection at run time).
[assembly: CacheSerializable(typeof(OcrPage))]
[assembly: CacheSerializable(typeof(ConflictingPage))]
[assembly: CacheSerializable(typeof(UnrelatedResult))]
[assembly: CacheSerializable(typeof(List<int>))]
[assembly: CacheSerializable(typeof(int[]))]
