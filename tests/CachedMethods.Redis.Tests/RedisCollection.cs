using CachedMethods.TestSupport;

namespace CachedMethods.Redis.Tests;

/// <summary>The tests that share one redis-server; xunit needs the definition in the test assembly.</summary>
[CollectionDefinition(RedisFixture.Collection)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>;
