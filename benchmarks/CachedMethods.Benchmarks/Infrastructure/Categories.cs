namespace CachedMethods.Benchmarks.Infrastructure;

/// <summary>The category of each group of issue 4, for <c>--anyCategories</c>, and the sub-groups that have a baseline of their own.</summary>
public static class Categories
{
    public const string MemoryHit = nameof(MemoryHit);
    public const string KeyShapes = nameof(KeyShapes);
    public const string RedisHit = nameof(RedisHit);
    public const string DiskHit = nameof(DiskHit);
    public const string Stampede = nameof(Stampede);
    public const string Generator = nameof(Generator);
    public const string Metrics = nameof(Metrics);

    public const string Sequential = nameof(Sequential);
    public const string Concurrent64 = nameof(Concurrent64);
    public const string Sync = nameof(Sync);
    public const string Async = nameof(Async);
}
