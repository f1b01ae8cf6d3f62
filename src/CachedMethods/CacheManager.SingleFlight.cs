using CachedMethods.Internal;

namespace CachedMethods;

// A miss past the memory probe: one computation per key in this process (a Flight that every caller
// awaits), which reads the lower tiers and then computes, through the fleet when the entry asks for
// distributed single-flight.
public sealed partial class CacheManager
{
    private ValueTask<T> ResolveAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options, MemoryLookup found, T cached, CancellationToken cancellationToken)
    {
        if (!_tiers.Any)
        {
            return factory(state, cancellationToken);
        }

        var policy = EntryPolicy.Of(options, Options);
        var work = new MissWork<TState, T>(key, state, factory, policy, found == MemoryLookup.Stale ? LowerRead<T>.StaleOnly(cached) : default, _reader, _runner);
        if (found == MemoryLookup.DueForRefresh)
        {
            _refresh.Start(work);
            return new ValueTask<T>(cached);
        }

        CountPastMemory(key, policy.Tiers);
        var flight = new Flight<T>();
        while (true)
        {
            var existing = _flights.GetOrAdd(key, flight);
            if (ReferenceEquals(existing, flight))
            {
                _ = LeadAsync(work, flight);
                return flight.WaitAsync(cancellationToken);
            }

            if (existing is not Flight<T> running)
            {
                // Another result type is being computed under the same key right now: no sharing, no harm.
                return LoadOrComputeAsync(work, cancellationToken);
            }

            if (running.TryJoin())
            {
                return running.WaitAsync(cancellationToken);
            }

            // Every waiter of that flight has cancelled it; replace it with ours.
            _flights.TryRemove(new KeyValuePair<CacheKey, object>(key, existing));
        }
    }

    private async Task LeadAsync<TState, T>(MissWork<TState, T> work, Flight<T> flight)
    {
        try
        {
            var value = await LoadOrComputeAsync(work, flight.Token).ConfigureAwait(false);
            _flights.TryRemove(new KeyValuePair<CacheKey, object>(work.Key, flight));
            flight.Complete(value);
        }
        catch (Exception ex)
        {
            _flights.TryRemove(new KeyValuePair<CacheKey, object>(work.Key, flight));
            flight.Fail(ex);
        }
    }

    private async ValueTask<T> LoadOrComputeAsync<TState, T>(MissWork<TState, T> work, CancellationToken cancellationToken)
    {
        // Scoped to this method by the async machinery: its reads, factory run and write-back share one budget per store.
        CallBudget.Begin(_time);
        var found = await _reader.ReadAsync<T>(work.Key, work.Policy.Tiers, work.Policy.RefreshFraction, cancellationToken).ConfigureAwait(false);
        if (found.Found)
        {
            CountLowerHit(work.Key);
            if (found.RefreshDue)
            {
                _refresh.Start(work);
            }

            return found.Value;
        }

        if (!work.Stale.HasStale && found.HasStale)
        {
            work = work with { Stale = found };
        }

        return work.Policy.Distributed
            ? await _fleet.ComputeOnceAsync(work, cancellationToken).ConfigureAwait(false)
            : await _runner.RunAsync(work, cancellationToken).ConfigureAwait(false);
    }

    private T Resolve<TState, T>(CacheKey key, TState state, Func<TState, T> factory, CacheEntryOptions options)
    {
        if (!_tiers.Any)
        {
            return factory(state);
        }

        var policy = EntryPolicy.Of(options, Options);
        CountPastMemory(key, policy.Tiers);
        var flight = new SyncFlight<T>();
        var existing = _syncFlights.GetOrAdd(key, flight);
        if (ReferenceEquals(existing, flight))
        {
            try
            {
                var created = LoadOrCompute(key, state, factory, policy);
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
        return existing is SyncFlight<T> running ? running.Wait() : LoadOrCompute(key, state, factory, policy);
    }

    private T LoadOrCompute<TState, T>(CacheKey key, TState state, Func<TState, T> factory, in EntryPolicy policy)
    {
        var found = _reader.Read<T>(key, policy.Tiers);
        if (!found.Found)
        {
            return _runner.Run(key, state, factory, policy);
        }

        CountLowerHit(key);
        return found.Value;
    }
}
