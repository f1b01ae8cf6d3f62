using CachedMethods.Internal;

namespace CachedMethods;

public sealed partial class CacheManager
{
    /// <summary>
    /// Returns the cached value of <paramref name="key"/>, or runs <paramref name="factory"/> once for all
    /// concurrent callers in this process, caches its result in every allowed tier and returns it.
    /// </summary>
    /// <remarks>
    /// A factory exception reaches every waiting caller and nothing is cached. The factory runs on a token
    /// of its own: a caller's <paramref name="cancellationToken"/> stops that caller's wait, and the
    /// computation is cancelled only when every waiting caller has cancelled.
    /// </remarks>
    public ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return GetOrCreateAsync(key, factory, static (f, ct) => f(ct), options, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="GetOrCreateAsync{T}(string, Func{CancellationToken, ValueTask{T}}, CacheEntryOptions?, CancellationToken)"/>,
    /// passing <paramref name="state"/> to a static factory so that a hit allocates no closure.
    /// </summary>
    public ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var builder = new CacheKeyBuilder(stackalloc byte[256]);
        try
        {
            builder.AppendRawKey(key);
            if (UsesMemory(options) && TryGetMemory(builder.Written, out T value))
            {
                return new ValueTask<T>(value);
            }

            return GetOrCreateCoreAsync(builder.ToCacheKey(), state, factory, WithPrefixTags(key, options ?? _defaultEntryOptions), cancellationToken);
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>The <see cref="CacheKey"/> form that generated wrappers call after their own memory check.</summary>
    public ValueTask<T> GetOrCreateAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        if (UsesMemory(options) && TryGetMemory(key.Canonical, out T value))
        {
            return new ValueTask<T>(value);
        }

        return GetOrCreateCoreAsync(key, state, factory, options ?? _defaultEntryOptions, cancellationToken);
    }

    /// <summary>
    /// The synchronous form: reads every tier that has synchronous I/O and runs <paramref name="factory"/>
    /// once for all concurrent callers in this process. Never blocks on asynchronous code.
    /// </summary>
    public T GetOrCreate<T>(string key, Func<T> factory, CacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return GetOrCreate(CacheKey.FromString(key), factory, static f => f(), WithPrefixTags(key, options ?? _defaultEntryOptions));
    }

    /// <summary>The synchronous form, with state for a static factory.</summary>
    /// <remarks>Refresh-ahead, fail-safe timeouts and distributed single-flight need the asynchronous form.</remarks>
    public T GetOrCreate<TState, T>(CacheKey key, TState state, Func<TState, T> factory, CacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        options ??= _defaultEntryOptions;
        if (UsesMemory(options) && TryGetMemory(key.Canonical, out T value))
        {
            return value;
        }

        if (_memory is null && _stores.Length == 0)
        {
            return factory(state);
        }

        CountMiss(options.Tiers);
        var flight = new SyncFlight<T>();
        var existing = _syncFlights.GetOrAdd(key, flight);
        if (ReferenceEquals(existing, flight))
        {
            try
            {
                var created = LoadOrCreateSync(key, state, factory, options);
                _syncFlights.TryRemove(new KeyValuePair<CacheKey, object>(key, flight));
                flight.Complete(created);
                return created;
            }
            catch (Exception ex)
            {
                _syncFlights.TryRemove(new KeyValuePair<CacheKey, object>(key, flight));
                flight.Fail(ex);
                throw;
            }
        }

        // Another thread computes this key: wait for it (a synchronous wait on synchronous work).
        // Another result type under the same key is computed without sharing.
        return existing is SyncFlight<T> running ? running.Wait() : LoadOrCreateSync(key, state, factory, options);
    }

    private static bool UsesMemory(CacheEntryOptions? options) => options is null || (options.Tiers & CacheTiers.Memory) != 0;

    private ValueTask<T> GetOrCreateCoreAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options, CancellationToken cancellationToken)
    {
        if (_memory is null && _stores.Length == 0)
        {
            return factory(state, cancellationToken);
        }

        CountMiss(options.Tiers);
        var stale = default(LowerRead<T>);
        if (_memory is not null && UsesMemory(options))
        {
            switch (_memory.TryGetForUpdate(key, out T cached))
            {
                case MemoryLookup.Fresh:
                    _memoryCounters.Hit();
                    return new ValueTask<T>(cached);
                case MemoryLookup.DueForRefresh:
                    _memoryCounters.Hit();
                    StartRefresh(key, state, factory, options);
                    return new ValueTask<T>(cached);
                case MemoryLookup.Stale:
                    stale = LowerRead<T>.StaleOnly(cached);
                    break;
            }
        }

        var flight = new Flight<T>();
        while (true)
        {
            var existing = _flights.GetOrAdd(key, flight);
            if (ReferenceEquals(existing, flight))
            {
                _ = LeadAsync(key, flight, state, factory, options, stale);
                return flight.WaitAsync(cancellationToken);
            }

            if (existing is not Flight<T> running)
            {
                // Another result type is being computed under the same key right now: no sharing, no harm.
                return LoadOrCreateAsync(key, state, factory, options, stale, cancellationToken);
            }

            if (running.TryJoin())
            {
                return running.WaitAsync(cancellationToken);
            }

            // Every waiter of that flight has cancelled it; replace it with ours.
            _flights.TryRemove(new KeyValuePair<CacheKey, object>(key, existing));
        }
    }

    private async Task LeadAsync<TState, T>(CacheKey key, Flight<T> flight, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options, LowerRead<T> stale)
    {
        try
        {
            var value = await LoadOrCreateAsync(key, state, factory, options, stale, flight.Token).ConfigureAwait(false);
            _flights.TryRemove(new KeyValuePair<CacheKey, object>(key, flight));
            flight.Complete(value);
        }
        catch (Exception ex)
        {
            _flights.TryRemove(new KeyValuePair<CacheKey, object>(key, flight));
            flight.Fail(ex);
        }
    }

    private async ValueTask<T> LoadOrCreateAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options, LowerRead<T> stale, CancellationToken cancellationToken)
    {
        var policy = PolicyOf(options);
        var found = await ReadBelowMemoryAsync<T>(key, options.Tiers, cancellationToken, policy.RefreshFraction).ConfigureAwait(false);
        if (found.Found)
        {
            if (found.RefreshDue)
            {
                StartRefresh(key, state, factory, options);
            }

            return found.Value;
        }

        if (!stale.HasStale && found.HasStale)
        {
            stale = found;
        }

        if (policy.Distributed && _coordinator is not null && _redis is { IsUsable: true })
        {
            return await ComputeAcrossFleetAsync(key, state, factory, options, policy, stale, cancellationToken).ConfigureAwait(false);
        }

        return await ComputeAsync(key, state, factory, options, policy, stale, cancellationToken).ConfigureAwait(false);
    }

    private T LoadOrCreateSync<TState, T>(CacheKey key, TState state, Func<TState, T> factory, CacheEntryOptions options)
    {
        var found = ReadBelowMemorySync<T>(key, options.Tiers);
        if (found.Found)
        {
            return found.Value;
        }

        var value = factory(state);
        if (Prepare(key, value, options, throwIfUnserializable: false) is { } entry)
        {
            WriteSync(key, value, entry);
        }

        return value;
    }
}
