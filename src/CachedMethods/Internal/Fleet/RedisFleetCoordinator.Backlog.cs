namespace CachedMethods.Internal;

// What Redis did not take is owed, not dropped (issue 9, case 6): a delete, clear or tag invalidation made while
// Redis was down, its circuit open or its call timed out reaches the fleet once Redis answers again.
internal sealed partial class RedisFleetCoordinator
{
    /// <summary>How often the backlog is retried while Redis fails; through the guard, so an open circuit is probed, not hammered.</summary>
    private static readonly TimeSpan BacklogInterval = TimeSpan.FromMilliseconds(250);

    private readonly FleetBacklog _backlog = new();
    private int _paying;
    private long _owedSince;

    public void OweRemoval(CacheKey key, TimeSpan recordLifetime) =>
        Owe(CoherenceMessage.Removed(key), recorded: false, key.StorageId, recordLifetime);

    private void Owe(CoherenceMessage message, bool recorded, string? storageId = null, TimeSpan recordLifetime = default)
    {
        if (_store is null && message.Kind is CoherenceKind.Remove or CoherenceKind.Clear)
        {
            // No removal records or horizon in this store: only the message can be owed.
            recorded = true;
        }

        if (!_coherence && recorded)
        {
            return;
        }

        var (first, overflowed) = _backlog.Owe(message, recorded, storageId, recordLifetime);
        if (first)
        {
            Volatile.Write(ref _owedSince, TimeProvider.System.GetTimestamp());
            Log.FleetBacklogStarted(_logger, message.Kind.ToString());
        }

        if (overflowed)
        {
            Log.FleetBacklogOverflowed(_logger, FleetBacklog.Capacity);
        }

        StartPaying();
    }

    private void StartPaying()
    {
        if (!_stopping.IsCancellationRequested && Interlocked.CompareExchange(ref _paying, 1, 0) == 0)
        {
            _ = Task.Run(PayBacklogAsync);
        }
    }

    /// <summary>
    /// Sends what is owed, oldest first, every <see cref="BacklogInterval"/> until nothing is; stops a round at
    /// the first debt Redis still refuses. Paced by the real clock, like the upkeep loop.
    /// </summary>
    private async Task PayBacklogAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(BacklogInterval, TimeProvider.System, _stopping.Token).ConfigureAwait(false);
                if (await PayRoundAsync().ConfigureAwait(false))
                {
                    Log.FleetBacklogPaid(_logger, (int)TimeProvider.System.GetElapsedTime(Volatile.Read(ref _owedSince)).TotalSeconds);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _paying, 0);
            if (_backlog.Count > 0)
            {
                StartPaying();
            }
        }
    }

    public async ValueTask SendOwedAsync()
    {
        if (_backlog.Count > 0)
        {
            await PayRoundAsync().ConfigureAwait(false);
            ReportOwed();
        }
    }

    public void ReportOwed()
    {
        if (_backlog.Count is > 0 and var owed)
        {
            Log.FleetBacklogAbandoned(_logger, owed);
        }
    }

    /// <summary>Pays what is owed now, oldest first, up to the first debt Redis still refuses; true when nothing is left.</summary>
    private async ValueTask<bool> PayRoundAsync()
    {
        foreach (var debt in _backlog.Snapshot())
        {
            if (!await PayAsync(debt).ConfigureAwait(false))
            {
                return false;
            }

            _backlog.Paid(debt);
        }

        return _backlog.Count == 0;
    }

    /// <summary>Writes a debt's record if it still needs one, then publishes its message; false when Redis did not take either.</summary>
    private async ValueTask<bool> PayAsync(FleetDebt debt)
    {
        var message = debt.Message;
        if (!debt.Recorded)
        {
            switch (message.Kind)
            {
                case CoherenceKind.Remove when await RemoveAsync(debt.StorageId!, debt.RecordLifetime, _stopping.Token).ConfigureAwait(false) < 0:
                    return false;
                case CoherenceKind.Tag when !await RecordTagAsync(message.Value, message.At, _stopping.Token).ConfigureAwait(false):
                    return false;
                case CoherenceKind.Clear when _store is not null:
                    var at = await _guard.RunAsync(_store, static (s, ct) => s.AdvanceHorizonAsync(ct), -1L, "advance horizon", _stopping.Token).ConfigureAwait(false);
                    if (at < 0)
                    {
                        return false;
                    }

                    LearnHorizon(at);
                    message = message with { At = at };
                    break;
            }

            _backlog.Recorded(debt, message);
        }

        if (!_coherence)
        {
            return true;
        }

        if (!await TryPublishAsync(message).ConfigureAwait(false))
        {
            return false;
        }

        FleetMetrics.Sent(_nameTag, message.Kind);
        return true;
    }

    private ValueTask<bool> RecordTagAsync(string tag, long at, CancellationToken cancellationToken) =>
        _guard.RunAsync((_coordinator, tag, at), static (s, ct) => GuardedStore.Completed(s._coordinator.SetTagInvalidatedAsync(s.tag, DateTimeOffset.FromUnixTimeMilliseconds(s.at), ct)), false, "record tag time", cancellationToken);
}
