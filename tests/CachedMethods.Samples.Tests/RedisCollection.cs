using CachedMethods.TestSupport;

namespace CachedMethods.Samples.Tests;

/// <summary>One redis-server for the tests that need one, started on a free loopback port.</summary>
[CollectionDefinition(RedisFixture.Collection)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>;
