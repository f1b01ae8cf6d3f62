using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// The fleet through a shared store that is also an <see cref="ICacheCoordinator"/> (Redis). Every call
/// goes through that store's <see cref="CallGuard"/>: bounded by its timeout, counted as its error when
/// it fails, and skipped while its circuit is open. A failed call degrades, never throws: no message, a
/// tag time unknown, a lock not taken (the caller computes itself).
/// </summary>
internal sealed partial class RedisFleetCoordinator : IFleetCoordinator
{
    private readonly ICacheCoordinator _coordinator;
    private readonly CallGuard _guard;
    private readonly MemoryCacheStore? _memory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _coherence;
    private readonly KeyValuePair<string, object?> _nameTag;
    private readonly TimeSpan _lockExpiry;
    private readonly TimeSpan _lockWait;
    private readonly TimeSpan _checkInterval;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _releaseWaiters = new(StringComparer.Ordinal);

    public RedisFleetCoordinator(ICacheCoordinator coordinator, CallGuard guard, MemoryCacheStore? memory, CacheOptions options, ILogger logger)
    {
        _coordinator = coordinator;
        _guard = guard;
        _memory = memory;
        _time = options.TimeProvider;
        _logger = logger;
        _coherence = options.Coherence;
        _nameTag = CacheMetrics.Tag(CacheMetrics.CacheNameTag, options.CacheName);
        _lockExpiry = TimeSpan.FromSeconds(options.LockExpirySeconds);
        _lockWait = TimeSpan.FromSeconds(options.LockWaitTimeoutSeconds);
        _checkInterval = TimeSpan.FromSeconds(options.CoherenceCheckSeconds);
        Tags = new TagClock(memory, _time);
        Clock = new FleetClock(_time);
        _store = coordinator as ICacheFleetStore;
        coordinator.MessageReceived += OnMessage;
        if (_store is not null)
        {
            // Stamps must be on Redis time from the first write on: read it once now (bounded by the guard).
            _guard.Run((Clock, _store), static s => s.Clock.Synchronize(s._store.GetTime), false, "read clock");
            // And the horizon, which also floors the clock: no write from here on is stamped before it.
            LearnHorizon(_guard.Run(_store, static s => s.GetHorizon(), -1L, "read horizon"));
        }

        _upkeep = _store is null ? Task.CompletedTask : KeepUpAsync(_stopping.Token);
    }

    public TagClock Tags { get; }

    public async ValueTask<bool> IsInvalidatedAsync(EnvelopeContent content, CancellationToken cancellationToken)
    {
        // Every unknown tag is asked at once: the reads are pipelined on one connection, so an entry with
        // many tags costs one round trip, not one per tag (issue 14, item 4). One GET per tag, not an MGET,
        // because a cluster keeps tag records in different slots.
        List<(string Tag, ValueTask<long?> Read)>? reads = null;
        foreach (var tag in content.Tags)
        {
            if (!Tags.IsKnown(tag))
            {
                (reads ??= new(content.Tags.Count)).Add((tag, _guard.RunAsync((_coordinator, tag), static (s, ct) => ReadTagTimeAsync(s._coordinator, s.tag, ct), null, "read tag time", cancellationToken)));
            }
        }

        if (reads is null)
        {
            // Every tag known here: no list, no round trip (the common case, on every read below memory).
            return Tags.IsInvalidated(content);
        }

        foreach (var (tag, read) in reads)
        {
            if (await read.ConfigureAwait(false) is { } known)
            {
                // Kept until a Tag message updates it, a reconnect clears it, or it is older than TagClock.Freshness. A failed read is not kept.
                Tags.Learn(tag, known);
            }
        }

        return Tags.IsInvalidated(content);
    }

    public async ValueTask InvalidateTagAsync(string tag, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var message = new CoherenceMessage(CoherenceKind.Tag, tag, at.ToUnixTimeMilliseconds());
        Tags.Invalidate(tag, message.At);
        if (!await RecordTagAsync(tag, message.At, cancellationToken).ConfigureAwait(false))
        {
            // Processes that ask Redis for the tag's time (new ones, or once theirs is stale) must learn it too.
            Owe(message, recorded: false);
        }

        await PublishAsync(message).ConfigureAwait(false);
    }

    public ValueTask PublishAsync(CoherenceMessage message)
    {
        if (!_coherence)
        {
            return ValueTask.CompletedTask;
        }

        // Stamped with its sending time, so a receiver can measure the lag (Tag messages carry theirs already).
        // Not a Clear: its time is the clear horizon, and none (0) is a clear that leaves copies below Redis valid.
        message = message.At == 0 && message.Kind != CoherenceKind.Clear ? message with { At = _time.GetUtcNow().ToUnixTimeMilliseconds() } : message;
        var publish = TryPublishAsync(message);
        if (publish.IsCompletedSuccessfully)
        {
            Published(publish.Result, message);
            return ValueTask.CompletedTask;
        }

        return PublishedWhenDoneAsync(publish, message);
    }

    private ValueTask<bool> TryPublishAsync(CoherenceMessage message) =>
        _guard.RunAsync((_coordinator, message), static (s, _) => GuardedStore.Completed(s._coordinator.PublishAsync(s.message)), false, "publish", CancellationToken.None);

    /// <summary>Counts a published message; owes one that was not, to be sent when Redis answers.</summary>
    private void Published(bool published, CoherenceMessage message)
    {
        if (published)
        {
            FleetMetrics.Sent(_nameTag, message.Kind);
        }
        else
        {
            Owe(message, recorded: true);
        }
    }

    private async ValueTask PublishedWhenDoneAsync(ValueTask<bool> publish, CoherenceMessage message) => Published(await publish.ConfigureAwait(false), message);

    public void PublishInBackground(CoherenceMessage message)
    {
        var publish = PublishAsync(message);
        if (!publish.IsCompleted)
        {
            _ = publish.AsTask();
        }
    }

    public ValueTask<bool> RenewLockAsync(string storageId, string token) =>
        _guard.RunAsync((_coordinator, storageId, token, _lockExpiry), static (s, _) => s._coordinator.RenewLockAsync(s.storageId, s.token, s._lockExpiry), false, "renew lock", CancellationToken.None);

    public async ValueTask ReleaseLockAsync(string storageId, string token) =>
        await _guard.RunAsync((_coordinator, storageId, token), static (s, _) => GuardedStore.Completed(s._coordinator.ReleaseLockAsync(s.storageId, s.token)), false, "release lock", CancellationToken.None).ConfigureAwait(false);

    public void Dispose()
    {
        _coordinator.MessageReceived -= OnMessage;
        _stopping.Cancel();
    }

    /// <summary>A message is counted as sent once Redis took it; a publish that failed or was skipped is not.</summary>
    private static async ValueTask<long?> ReadTagTimeAsync(ICacheCoordinator coordinator, string tag, CancellationToken cancellationToken) =>
        (await coordinator.GetTagInvalidatedAsync(tag, cancellationToken).ConfigureAwait(false))?.ToUnixTimeMilliseconds() ?? TagClock.Never;

    private void OnMessage(CoherenceMessage message)
    {
        if (message.Kind != CoherenceKind.Reconnected)
        {
            FleetMetrics.Received(_nameTag, message, _time);
        }

        switch (message.Kind)
        {
            case CoherenceKind.Remove when KeyHash.TryParse(message.Value, out var hash):
                _memory?.RemoveByHash(hash);
                break;
            case CoherenceKind.Clear:
                LearnHorizon(message.At);
                _memory?.Clear();
                break;
            case CoherenceKind.Tag:
                Tags.Invalidate(message.Value, message.At);
                break;
            case CoherenceKind.Released when _releaseWaiters.TryGetValue(message.Value, out var waiter):
                waiter.TrySetResult();
                break;
            case CoherenceKind.Reconnected:
                // Messages sent while we were away are lost: drop what they might have invalidated.
                DropUnconfirmed();
                break;
        }
    }

    /// <summary>Drops what a lost message might have invalidated: every memory copy and every cached tag time.</summary>
    private void DropUnconfirmed()
    {
        _memory?.Clear();
        Tags.Clear();
    }
}
