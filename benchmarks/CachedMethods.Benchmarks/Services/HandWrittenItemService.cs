using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;

namespace CachedMethods.Benchmarks.Services;

/// <summary>
/// The "hand-written wrapper over the same engine" baseline: what a careful engineer writes by hand
/// against the public API of <see cref="CacheManager"/> to cache <see cref="IItemService"/>. The key
/// has the same parts as the generated one (scope, then the named argument); the hit path is the
/// engine's fastest: a stack-built key and <see cref="CacheManager.TryGetMemory{T}"/>.
/// </summary>
public sealed class HandWrittenItemService(IItemService inner, CacheManager cache) : IItemService
{
    // The generated scope's type name, and a result shape of the generated fingerprint's length: the same
    // key length (so the same hashing and comparing work), but a key of its own.
    private const string Scope = "CachedMethods.Benchmarks.Services.IItemService";
    private const string Shape = "handwritten00000";
    private static readonly CacheEntryOptions Options = new() { Ttl = BenchmarkSettings.Ttl };

    public Item GetItem(int id)
    {
        var key = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            key.AppendScope(Scope, nameof(GetItem), 0, Shape);
            key.AppendName(nameof(id));
            key.Append(id);
            if (cache.TryGetMemory<Item>(key.Written, out var hit))
            {
                return hit;
            }

            return cache.GetOrCreate(key.ToCacheKey(), (inner, id), static s => s.inner.GetItem(s.id), Options);
        }
        finally
        {
            key.Dispose();
        }
    }

    public Task<Item> GetItemTaskAsync(int id, CancellationToken cancellationToken = default)
    {
        var key = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            key.AppendScope(Scope, nameof(GetItemTaskAsync), 0, Shape);
            key.AppendName(nameof(id));
            key.Append(id);
            if (cache.TryGetMemory<Item>(key.Written, out var hit))
            {
                return Task.FromResult(hit);
            }

            return cache.GetOrCreateAsync(
                key.ToCacheKey(),
                (inner, id),
                static (s, ct) => new ValueTask<Item>(s.inner.GetItemTaskAsync(s.id, ct)),
                Options,
                cancellationToken).AsTask();
        }
        finally
        {
            key.Dispose();
        }
    }

    public ValueTask<Item> GetItemValueTaskAsync(int id, CancellationToken cancellationToken = default)
    {
        var key = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            key.AppendScope(Scope, nameof(GetItemValueTaskAsync), 0, Shape);
            key.AppendName(nameof(id));
            key.Append(id);
            if (cache.TryGetMemory<Item>(key.Written, out var hit))
            {
                return new ValueTask<Item>(hit);
            }

            return cache.GetOrCreateAsync(
                key.ToCacheKey(),
                (inner, id),
                static (s, ct) => s.inner.GetItemValueTaskAsync(s.id, ct),
                Options,
                cancellationToken);
        }
        finally
        {
            key.Dispose();
        }
    }
}
