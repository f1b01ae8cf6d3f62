namespace CachedMethods.Internal;

// The records that make a delete final (issue 9): the fleet clock, removal records, the clear horizon and
// the commit that checks them. Every call goes through the Redis store's guard like the rest of the fleet.
internal sealed partial class RedisFleetCoordinator
{
    /// <summary>How often the fleet clock is read again.</summary>
    private static readonly TimeSpan ClockInterval = TimeSpan.FromSeconds(30);

    private readonly ICacheFleetStore? _store;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _upkeep;
    private long _horizon;

    public FleetClock Clock { get; }

    public long Horizon => Volatile.Read(ref _horizon);

    public bool CommitsWrites => _store is not null;

    public ValueTask<CommitOutcome> CommitAsync(string storageId, byte[] frame, TimeSpan ttl, long startedAt, string? lockToken, bool onlyIfAbsent, CancellationToken cancellationToken) =>
        _store is null
            ? default
            : _guard.RunAsync((_store, storageId, frame, ttl, startedAt, lockToken, onlyIfAbsent), static (s, ct) => s._store.CommitAsync(s.storageId, s.frame, s.ttl, s.startedAt, s.lockToken, s.onlyIfAbsent, ct), default(CommitOutcome), "commit", cancellationToken);

    public CommitOutcome Commit(string storageId, byte[] frame, TimeSpan ttl, long startedAt, string? lockToken, bool onlyIfAbsent) =>
        _store is null
            ? default
            : _guard.Run((_store, storageId, frame, ttl, startedAt, lockToken, onlyIfAbsent), static s => s._store.Commit(s.storageId, s.frame, s.ttl, s.startedAt, s.lockToken, s.onlyIfAbsent), default(CommitOutcome), "commit");

    public async ValueTask<int> RemoveAsync(string storageId, TimeSpan recordLifetime, CancellationToken cancellationToken) =>
        _store is null
            ? -1
            : await _guard.RunAsync((_store, storageId, recordLifetime), static async (s, ct) => await s._store.RemoveAsync(s.storageId, s.recordLifetime, ct).ConfigureAwait(false) ? 1 : 0, -1, "remove", cancellationToken).ConfigureAwait(false);

    public int Remove(string storageId, TimeSpan recordLifetime) =>
        _store is null ? -1 : _guard.Run((_store, storageId, recordLifetime), static s => s._store.Remove(s.storageId, s.recordLifetime) ? 1 : 0, -1, "remove");

    public async ValueTask<long> RemovedAtAsync(string storageId, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return 0;
        }

        var at = await _guard.RunAsync((_store, storageId), static (s, ct) => s._store.GetRemovedAtAsync(s.storageId, ct), -1L, "read removal", cancellationToken).ConfigureAwait(false);
        return Math.Max(at, at < 0 ? -1 : Horizon);
    }

    public long RemovedAt(string storageId)
    {
        if (_store is null)
        {
            return 0;
        }

        var at = _guard.Run((_store, storageId), static s => s._store.GetRemovedAt(s.storageId), -1L, "read removal");
        return Math.Max(at, at < 0 ? -1 : Horizon);
    }

    public async ValueTask AdvanceHorizonAsync(CancellationToken cancellationToken)
    {
        var at = _store is null
            ? -1L
            : await _guard.RunAsync(_store, static (s, ct) => s.AdvanceHorizonAsync(ct), -1L, "advance horizon", cancellationToken).ConfigureAwait(false);
        await PublishAsync(Advanced(at)).ConfigureAwait(false);
    }

    public void AdvanceHorizon()
    {
        var at = _store is null ? -1L : _guard.Run(_store, static s => s.AdvanceHorizon(), -1L, "advance horizon");
        PublishInBackground(Advanced(at));
    }

    /// <summary>Learns a new horizon, or (-1: Redis did not take it) moves it here on the fleet clock and owes it to Redis.</summary>
    private CoherenceMessage Advanced(long at)
    {
        var message = new CoherenceMessage(CoherenceKind.Clear, "", at < 0 ? Clock.Now() : at);
        LearnHorizon(message.At);
        if (at < 0 && _store is not null)
        {
            Owe(message, recorded: false);
        }

        return message;
    }

    private void LearnHorizon(long at)
    {
        Clock.Observe(at);
        AtomicMax.Raise(ref _horizon, at);
    }

    /// <summary>
    /// Bounds every belief a lost message would leave wrong (issue 9, case 6): when the store reports a
    /// numbered message that never arrived here, the memory copies and the cached tag times it might have
    /// invalidated are dropped, and asked of Redis again when next read. A failed check decides nothing.
    /// </summary>
    private async ValueTask CheckMessagesAsync(CancellationToken stopping)
    {
        if (_coherence && await _guard.RunAsync(_store!, static (s, ct) => s.CheckMessagesAsync(ct), false, "check messages", stopping).ConfigureAwait(false))
        {
            Log.CoherenceMessagesMissed(_logger);
            DropUnconfirmed();
        }
    }

    /// <summary>
    /// Reads the fleet clock, the horizon and the message count now and then, for as long as this process runs. Paced by the
    /// real clock, not the configured <see cref="TimeProvider"/>: a test's fake time must not re-read the offset.
    /// </summary>
    private async Task KeepUpAsync(CancellationToken stopping)
    {
        var real = TimeProvider.System;
        var lastClock = Clock.IsSynchronized ? real.GetTimestamp() : 0L;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (!Clock.IsSynchronized || real.GetElapsedTime(lastClock) >= ClockInterval)
                {
                    var synchronized = await _guard.RunAsync((Clock, _store!), static async (s, ct) => { await s.Item1.SynchronizeAsync(s.Item2.GetTimeAsync, ct).ConfigureAwait(false); return true; }, false, "read clock", stopping).ConfigureAwait(false);
                    lastClock = synchronized ? real.GetTimestamp() : lastClock;
                }

                var horizon = await _guard.RunAsync(_store!, static (s, ct) => s.GetHorizonAsync(ct), -1L, "read horizon", stopping).ConfigureAwait(false);
                LearnHorizon(horizon);
                await CheckMessagesAsync(stopping).ConfigureAwait(false);
                await Task.Delay(Clock.IsSynchronized ? _checkInterval : TimeSpan.FromMilliseconds(250), real, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
