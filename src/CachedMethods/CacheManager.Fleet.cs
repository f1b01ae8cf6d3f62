using System.Collections.Concurrent;
using CachedMethods.Internal;

namespace CachedMethods;

// Behaviour across processes and under a failing factory: distributed single-flight, memory coherence,
// tag and prefix invalidation, fail-safe and refresh-ahead. See docs/architecture.md, "Fleet".
public sealed partial class CacheManager
{
    private const string PrefixTagMarker = "\u001fprefix:";
    private static readonly TimeSpan ReleasePollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RefreshRetryDelay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, long> _tagInvalidatedAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _releaseWaiters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CacheKey, byte> _refreshing = new();
    private ICacheCoordinator? _coordinator;

    /// <summary>
    /// Invalidates every entry tagged <paramref name="tag"/> in every tier and every process: memory copies
    /// are dropped at once (here, and elsewhere through the coherence channel), and entries below memory
    /// created before now are treated as misses and deleted when next read.
    /// </summary>
    /// <remarks>
    /// Other processes learn of the invalidation through Redis. While Redis is unreachable they may keep
    /// serving their memory copies until those expire (the memory TTL bounds the staleness).
    /// </remarks>
    public async ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var at = _time.GetUtcNow();
        RecordTagInvalidation(tag, at.ToUnixTimeMilliseconds());
        if (_coordinator is { } coordinator && _redis is { IsUsable: true } redis)
        {
            try
            {
                await coordinator.SetTagInvalidatedAsync(tag, at, cancellationToken).AsTask().WaitAsync(redis.Timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                redis.Counters.Error();
                Log.CoordinationFailed(_logger, "record tag invalidation", ex);
            }
        }

        await PublishAsync(new CoherenceMessage(CoherenceKind.Tag, tag, at.ToUnixTimeMilliseconds())).ConfigureAwait(false);
    }

    /// <summary>
    /// Invalidates every string key that starts with <paramref name="prefix"/>, which must end with ':' or '/'
    /// (keys are tagged with each of their ':'- or '/'-terminated prefixes when written). Works like
    /// <see cref="InvalidateTagAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> does not end with ':' or '/'.</exception>
    public ValueTask InvalidatePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix[^1] is not (':' or '/'))
        {
            throw new ArgumentException($"Prefix '{prefix}' must end with ':' or '/', the separators keys are tagged at.", nameof(prefix));
        }

        return InvalidateTagAsync(PrefixTagMarker + prefix, cancellationToken);
    }

    /// <summary>The implicit prefix tags of a string key: one per ':'- or '/'-terminated prefix.</summary>
    private CacheEntryOptions WithPrefixTags(string key, CacheEntryOptions options)
    {
        var count = 0;
        foreach (var c in key)
        {
            if (c is ':' or '/')
            {
                count++;
            }
        }

        if (count == 0)
        {
            return options;
        }

        var tags = new List<string>(count + (options.Tags?.Count ?? 0));
        if (options.Tags is not null)
        {
            tags.AddRange(options.Tags);
        }

        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] is ':' or '/')
            {
                tags.Add(PrefixTagMarker + key[..(i + 1)]);
            }
        }

        return options with { Tags = tags };
    }

    private void AttachCoordinator()
    {
        if (_redis?.Store is ICacheCoordinator coordinator)
        {
            _coordinator = coordinator;
            coordinator.MessageReceived += OnCoherenceMessage;
        }
    }

    private void DetachCoordinator()
    {
        if (_coordinator is { } coordinator)
        {
            coordinator.MessageReceived -= OnCoherenceMessage;
        }
    }

    private void OnCoherenceMessage(CoherenceMessage message)
    {
        switch (message.Kind)
        {
            case CoherenceKind.Remove when KeyHash.TryParse(message.Value, out var hash):
                _memory?.RemoveByHash(hash);
                break;
            case CoherenceKind.Clear:
                _memory?.Clear();
                break;
            case CoherenceKind.Tag:
                RecordTagInvalidation(message.Value, message.At);
                break;
            case CoherenceKind.Released when _releaseWaiters.TryGetValue(message.Value, out var waiter):
                waiter.TrySetResult();
                break;
            case CoherenceKind.Reconnected:
                // Messages sent while we were away are lost: drop what they might have invalidated.
                _memory?.Clear();
                _tagInvalidatedAt.Clear();
                break;
        }
    }

    private ValueTask PublishAsync(CoherenceMessage message)
    {
        if (_coordinator is null || !Options.Coherence || _redis is not { IsUsable: true })
        {
            return ValueTask.CompletedTask;
        }

        return PublishCoreAsync(message);
    }

    private async ValueTask PublishCoreAsync(CoherenceMessage message)
    {
        try
        {
            await _coordinator!.PublishAsync(message).AsTask().WaitAsync(_redis!.Timeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _redis!.Counters.Error();
            Log.CoordinationFailed(_logger, "publish", ex);
        }
    }

    private void PublishInBackground(CoherenceMessage message)
    {
        var publish = PublishAsync(message);
        if (!publish.IsCompleted)
        {
            _ = publish.AsTask();
        }
    }

    private void RecordTagInvalidation(string tag, long atUnixMs)
    {
        _tagInvalidatedAt.AddOrUpdate(tag, atUnixMs, (_, known) => Math.Max(known, atUnixMs));
        _memory?.RemoveByTag(tag);
    }

    private bool IsInvalidatedByTagsLocally(in EnvelopeContent content)
    {
        var created = content.CreatedAt.ToUnixTimeMilliseconds();
        foreach (var tag in content.Tags)
        {
            if (_tagInvalidatedAt.TryGetValue(tag, out var at) && at >= created)
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask<bool> IsInvalidatedByTagsAsync(EnvelopeContent content, CancellationToken cancellationToken)
    {
        var created = content.CreatedAt.ToUnixTimeMilliseconds();
        foreach (var tag in content.Tags)
        {
            if (await TagInvalidatedAtAsync(tag, cancellationToken).ConfigureAwait(false) >= created)
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask<long> TagInvalidatedAtAsync(string tag, CancellationToken cancellationToken)
    {
        if (_tagInvalidatedAt.TryGetValue(tag, out var known))
        {
            return known;
        }

        if (_coordinator is not { } coordinator || _redis is not { IsUsable: true } redis)
        {
            return long.MinValue;
        }

        try
        {
            var at = await coordinator.GetTagInvalidatedAsync(tag, cancellationToken).AsTask().WaitAsync(redis.Timeout, _time, cancellationToken).ConfigureAwait(false);
            var ms = at?.ToUnixTimeMilliseconds() ?? long.MinValue;
            // Kept until a Tag message updates it, or a reconnect clears it.
            _tagInvalidatedAt.AddOrUpdate(tag, ms, (_, current) => Math.Max(current, ms));
            return ms;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            redis.Counters.Error();
            Log.CoordinationFailed(_logger, "read tag invalidation", ex);
            return long.MinValue;
        }
    }

    /// <summary>Runs the factory under the entry's fail-safe and timeout policy, and stores its result.</summary>
    private async ValueTask<T> ComputeAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options, EntryPolicy policy, LowerRead<T> stale, CancellationToken cancellationToken)
    {
        var failSafe = policy.Retain > TimeSpan.Zero && stale.HasStale;
        Task<T> running;
        try
        {
            var pending = factory(state, cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                var ready = pending.Result;
                await StoreAsync(key, ready, options).ConfigureAwait(false);
                return ready;
            }

            running = pending.AsTask();
        }
        catch (Exception ex) when (failSafe && !cancellationToken.IsCancellationRequested)
        {
            Log.FailSafeUsed(_logger, key.StorageId, ex.GetType().Name, ex);
            return stale.Value;
        }

        var soft = failSafe ? policy.SoftTimeout : TimeSpan.Zero;
        var wait = soft > TimeSpan.Zero && (policy.HardTimeout <= TimeSpan.Zero || soft < policy.HardTimeout) ? soft : policy.HardTimeout;
        if (wait > TimeSpan.Zero && !running.IsCompleted)
        {
            var timer = Task.Delay(wait, _time, CancellationToken.None);
            if (await Task.WhenAny(running, timer).ConfigureAwait(false) != running)
            {
                _ = StoreWhenDoneAsync(key, running, options);
                if (failSafe)
                {
                    Log.FailSafeTimeout(_logger, key.StorageId, wait.TotalMilliseconds);
                    return stale.Value;
                }

                throw new TimeoutException(
                    $"The factory for cache entry {key.StorageId} did not finish within its hard timeout of {policy.HardTimeout.TotalMilliseconds:F0} ms. " +
                    "It goes on in the background and its result will be cached.");
            }
        }

        T value;
        try
        {
            value = await running.ConfigureAwait(false);
        }
        catch (Exception ex) when (failSafe && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Log.FailSafeUsed(_logger, key.StorageId, ex.GetType().Name, ex);
            return stale.Value;
        }

        await StoreAsync(key, value, options).ConfigureAwait(false);
        return value;
    }

    private async ValueTask StoreAsync<T>(CacheKey key, T value, CacheEntryOptions options)
    {
        if (Prepare(key, value, options, throwIfUnserializable: false) is { } entry)
        {
            // The value is ready for the caller; a cancelled caller still leaves the entry stored.
            await WriteAsync(key, value, entry, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task StoreWhenDoneAsync<T>(CacheKey key, Task<T> running, CacheEntryOptions options)
    {
        try
        {
            var value = await running.ConfigureAwait(false);
            await StoreAsync(key, value, options).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.BackgroundFactoryFailed(_logger, key.StorageId, ex);
        }
    }

    /// <summary>
    /// Distributed single-flight: the process that takes the key's Redis lock computes; the others wait
    /// for its release message (or a poll that sees the lock gone), then read its result from Redis.
    /// A dead holder's lock expires and a waiter takes over; a failing Redis means computing here.
    /// </summary>
    private async ValueTask<T> ComputeAcrossFleetAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options, EntryPolicy policy, LowerRead<T> stale, CancellationToken cancellationToken)
    {
        var coordinator = _coordinator!;
        var redis = _redis!;
        var expiry = TimeSpan.FromSeconds(Options.LockExpirySeconds);
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(Options.LockWaitTimeoutSeconds);
        while (true)
        {
            string? token;
            try
            {
                token = await coordinator.TryAcquireLockAsync(key.StorageId, expiry, cancellationToken).AsTask().WaitAsync(redis.Timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                redis.Counters.Error();
                Log.CoordinationFailed(_logger, "take the computation lock; computing in this process", ex);
                return await ComputeAsync(key, state, factory, options, policy, stale, cancellationToken).ConfigureAwait(false);
            }

            if (token is not null)
            {
                await using var renewal = new LockRenewal(coordinator, key.StorageId, token, expiry, _time, this);
                // The previous holder may have stored the value between our read and our lock.
                var stored = await ReadBelowMemoryAsync<T>(key, options.Tiers & ~CacheTiers.Persistent, cancellationToken).ConfigureAwait(false);
                return stored.Found
                    ? stored.Value
                    : await ComputeAsync(key, state, factory, options, policy, stale, cancellationToken).ConfigureAwait(false);
            }

            await WaitForReleaseAsync(coordinator, key.StorageId, deadline, cancellationToken).ConfigureAwait(false);
            var result = await ReadBelowMemoryAsync<T>(key, options.Tiers, cancellationToken).ConfigureAwait(false);
            if (result.Found)
            {
                return result.Value;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                Log.LockWaitExceeded(_logger, key.StorageId, Options.LockWaitTimeoutSeconds);
                return await ComputeAsync(key, state, factory, options, policy, stale, cancellationToken).ConfigureAwait(false);
            }

            // The lock is free and nothing was stored (the holder failed or died): try to take it.
        }
    }

    private async Task WaitForReleaseAsync(ICacheCoordinator coordinator, string storageId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var released = _releaseWaiters.GetOrAdd(storageId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            while (_time.GetUtcNow() < deadline)
            {
                var poll = Task.Delay(ReleasePollInterval, _time, cancellationToken);
                if (await Task.WhenAny(released.Task, poll).ConfigureAwait(false) == released.Task)
                {
                    return;
                }

                cancellationToken.ThrowIfCancellationRequested();
                // The poll catches a release message lost to a reconnect, and a holder whose lock expired.
                try
                {
                    if (!await coordinator.IsLockedAsync(storageId, cancellationToken).AsTask().WaitAsync(_redis!.Timeout, _time, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    Log.CoordinationFailed(_logger, "check the computation lock", ex);
                    return;
                }
            }
        }
        finally
        {
            _releaseWaiters.TryRemove(new KeyValuePair<string, TaskCompletionSource>(storageId, released));
        }
    }

    /// <summary>Starts one background refresh of <paramref name="key"/> in this process, and one in the fleet when a lock is configured.</summary>
    private void StartRefresh<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options)
    {
        if (_refreshing.TryAdd(key, 0))
        {
            _ = RefreshAsync(key, state, factory, options);
        }
    }

    private async Task RefreshAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CacheEntryOptions options)
    {
        string? token = null;
        try
        {
            var policy = PolicyOf(options);
            if (policy.Distributed && _coordinator is { } coordinator && _redis is { IsUsable: true } redis)
            {
                try
                {
                    token = await coordinator.TryAcquireLockAsync(key.StorageId, TimeSpan.FromSeconds(Options.LockExpirySeconds), CancellationToken.None)
                        .AsTask().WaitAsync(redis.Timeout, _time).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Log.CoordinationFailed(_logger, "take the refresh lock; refreshing in this process", ex);
                }

                if (token is null && _redis.IsUsable)
                {
                    // Another process refreshes; its write drops our copy through the coherence channel.
                    _memory?.PostponeRefresh(key, RefreshRetryDelay);
                    return;
                }
            }

            var value = await factory(state, CancellationToken.None).ConfigureAwait(false);
            await StoreAsync(key, value, options).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The current entry stays until it expires; the next hit past the refresh point tries again.
            Log.BackgroundFactoryFailed(_logger, key.StorageId, ex);
            _memory?.PostponeRefresh(key, RefreshRetryDelay);
        }
        finally
        {
            if (token is not null)
            {
                await ReleaseLockAsync(key.StorageId, token).ConfigureAwait(false);
            }

            _refreshing.TryRemove(key, out _);
        }
    }

    private async ValueTask ReleaseLockAsync(string storageId, string token)
    {
        try
        {
            await _coordinator!.ReleaseLockAsync(storageId, token).AsTask().WaitAsync(_redis!.Timeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The lock expires on its own; waiters poll and take over.
            Log.CoordinationFailed(_logger, "release the computation lock", ex);
        }
    }

    /// <summary>Keeps a held lock alive while its holder computes, and releases it at the end.</summary>
    private sealed class LockRenewal : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly string _storageId;
        private readonly string _token;
        private readonly CacheManager _owner;

        public LockRenewal(ICacheCoordinator coordinator, string storageId, string token, TimeSpan expiry, TimeProvider time, CacheManager owner)
        {
            _storageId = storageId;
            _token = token;
            _owner = owner;
            _loop = RenewAsync(coordinator, expiry, time);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
            await _owner.ReleaseLockAsync(_storageId, _token).ConfigureAwait(false);
        }

        private async Task RenewAsync(ICacheCoordinator coordinator, TimeSpan expiry, TimeProvider time)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(expiry / 3, time, _stop.Token).ConfigureAwait(false);
                    if (!await coordinator.RenewLockAsync(_storageId, _token, expiry).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by its holder.
            }
            catch (Exception ex)
            {
                Log.CoordinationFailed(_owner._logger, "renew the computation lock", ex);
            }
        }
    }
}
