using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// A store behind the engine's promise that a cache failure never reaches the caller: every call goes
/// through one <see cref="CallGuard"/> (timeout, counted failure, circuit) and becomes a miss when it fails.
/// </summary>
internal sealed class GuardedStore
{
    /// <summary>How often unsettled keys are retried while the store fails; also how soon after it answers they are settled.</summary>
    internal static readonly TimeSpan SettleInterval = TimeSpan.FromMilliseconds(250);

    // Only its type and message are read (a span's error.type and status): one instance serves every read.
    private static readonly TimeoutException BudgetSpentException = new("The call's time budget in this store was spent before the read.");

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _oneBudgetPerCall;
    private int _settling;

    /// <param name="store">The store.</param>
    /// <param name="timeout">The bound of one call.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="oneBudgetPerCall">Whether the operations of one miss share one timeout (<see cref="CallBudget"/>).</param>
    public GuardedStore(ICacheStore store, TimeSpan timeout, TimeProvider time, ILogger logger, bool oneBudgetPerCall = false)
    {
        Store = store;
        _oneBudgetPerCall = oneBudgetPerCall;
        _logger = logger;
        _time = time;
        Guard = new CallGuard(store.Name, timeout, time, logger, () => store.IsAvailable, store.BoundsOwnCalls);
    }

    public ICacheStore Store { get; }

    /// <summary>Keys whose last write this store did not take; read as misses here until settled.</summary>
    public UnsettledKeys Unsettled { get; } = new();

    /// <summary>The guard of this store; the fleet coordinator of a shared store goes through it too.</summary>
    public CallGuard Guard { get; }

    public TierCounters Counters => Guard.Counters;
    public CacheTiers Tier => Store.Tier;
    public string Name => Store.Name;
    public bool IsUsable => Guard.IsUsable;
    public bool CanRunSynchronously => Store.SupportsSynchronousIo;

    public byte[]? Get(string storageId) =>
        CanRunSynchronously ? Guard.Run((Store, storageId), static s => s.Store.Get(s.storageId), null, CallGuard.ReadOperation) : null;

    public ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken) =>
        BudgetSpent(out var bound)
            ? BudgetSpentRead()
            : Guard.RunAsync((Store, storageId), static (s, ct) => s.Store.GetAsync(s.storageId, ct), null, CallGuard.ReadOperation, cancellationToken, bound);

    public bool Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive) =>
        Guard.Run((Store, storageId, envelope, timeToLive), static s => { s.Store.Set(s.storageId, s.envelope, s.timeToLive); return true; }, false, "set");

    public ValueTask<bool> SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        BudgetSpent(out var bound)
            ? new ValueTask<bool>(false)
            : Guard.RunAsync((Store, storageId, envelope, timeToLive), static (s, ct) => Completed(s.Store.SetAsync(s.storageId, s.envelope, s.timeToLive, ct)), false, "set", cancellationToken, bound);

    public bool Delete(string storageId) =>
        Guard.Run((Store, storageId), static s => s.Store.Delete(s.storageId), false, "delete");

    public ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken) =>
        Guard.RunAsync((Store, storageId), static (s, ct) => s.Store.DeleteAsync(s.storageId, ct), false, "delete", cancellationToken);

    /// <summary>A delete whose failure, unlike absence, leaves the key unsettled: 1 removed, 0 absent, -1 failed.</summary>
    public async ValueTask<bool> DeleteOrUnsettleAsync(string storageId, CancellationToken cancellationToken)
    {
        var outcome = BudgetSpent(out var bound)
            ? -1
            : await Guard.RunAsync((Store, storageId), static async (s, ct) => await s.Store.DeleteAsync(s.storageId, ct).ConfigureAwait(false) ? 1 : 0, -1, "delete", cancellationToken, bound).ConfigureAwait(false);
        if (outcome < 0)
        {
            Unsettle(storageId);
        }

        return outcome > 0;
    }

    /// <summary>The synchronous form of <see cref="DeleteOrUnsettleAsync"/>.</summary>
    public bool DeleteOrUnsettle(string storageId)
    {
        var outcome = Guard.Run((Store, storageId), static s => s.Store.Delete(s.storageId) ? 1 : 0, -1, "delete");
        if (outcome < 0)
        {
            Unsettle(storageId);
        }

        return outcome > 0;
    }

    /// <summary>A clear whose failure leaves every key unsettled; returns how many were removed.</summary>
    public long ClearOrUnsettle()
    {
        var removed = Guard.Run(Store, static s => s.Clear(), -1L, "clear");
        if (removed < 0)
        {
            UnsettleAll();
        }

        return Math.Max(removed, 0);
    }

    /// <summary>The asynchronous form of <see cref="ClearOrUnsettle"/>.</summary>
    public async ValueTask<long> ClearOrUnsettleAsync(CancellationToken cancellationToken)
    {
        var removed = await ClearForSettleAsync(cancellationToken).ConfigureAwait(false);
        if (removed < 0)
        {
            UnsettleAll();
        }

        return Math.Max(removed, 0);
    }

    /// <summary>Records that this store may keep an older value of <paramref name="storageId"/>, and starts settling it.</summary>
    public void Unsettle(string storageId)
    {
        Unsettled.Record(storageId);
        StartSettling();
    }

    /// <summary>Records that this store may keep older values of any key (a clear failed), and starts settling.</summary>
    public void UnsettleAll()
    {
        Unsettled.RecordAll();
        StartSettling();
    }

    /// <summary>Stops the settling loop; called before the store is closed.</summary>
    public void StopSettling() => _stopping.Cancel();

    internal async ValueTask<bool> DeleteForSettleAsync(string storageId, CancellationToken cancellationToken) =>
        await Guard.RunAsync((Store, storageId), static async (s, ct) => { await s.Store.DeleteAsync(s.storageId, ct).ConfigureAwait(false); return true; }, false, "settle", cancellationToken).ConfigureAwait(false);

    internal ValueTask<long> ClearForSettleAsync(CancellationToken cancellationToken) =>
        Guard.RunAsync(Store, static (s, ct) => s.ClearAsync(ct), -1L, "settle", cancellationToken, Guard.Timeout * 20);

    public long Clear() => Guard.Run(Store, static s => s.Clear(), 0L, "clear");

    // A clear walks the whole prefix: it gets a longer bound than a single-key call.
    public ValueTask<long> ClearAsync(CancellationToken cancellationToken) =>
        Guard.RunAsync(Store, static (s, ct) => s.ClearAsync(ct), 0L, "clear", cancellationToken, Guard.Timeout * 20);

    public StoreUsage GetUsage()
    {
        try
        {
            return Store.GetUsage();
        }
        catch (Exception ex)
        {
            // Statistics are not a call path: a failure here neither counts as an error nor moves the circuit.
            Log.StoreFailed(_logger, Name, "usage", ex.GetType().Name, ex);
            return StoreUsage.Unknown;
        }
    }

    private void StartSettling()
    {
        if (!_stopping.IsCancellationRequested && Interlocked.CompareExchange(ref _settling, 1, 0) == 0)
        {
            _ = Task.Run(SettleLoopAsync);
        }
    }

    /// <summary>
    /// Retries the unsettled keys every <see cref="SettleInterval"/> until none is left. Its calls go through
    /// the guard, so while the circuit is open they wait for the probe, and they are the probe when no
    /// caller is: a store that returns is settled within a break and an interval even with no traffic.
    /// </summary>
    private async Task SettleLoopAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(SettleInterval, _time, _stopping.Token).ConfigureAwait(false);
                if (await Unsettled.SettleAsync(this, _stopping.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.StoreFailed(_logger, Name, "settle", ex.GetType().Name, ex);
        }
        finally
        {
            Volatile.Write(ref _settling, 0);
            if (!Unsettled.IsEmpty)
            {
                StartSettling();
            }
        }
    }

    /// <summary>
    /// Whether this call's budget in this store is spent (then the operation is not started, and counted as
    /// timed out, like a call that ran out of time); else the bound of the operation (<see langword="default"/>: the store's timeout).
    /// </summary>
    private bool BudgetSpent(out TimeSpan bound)
    {
        bound = default;
        if (!_oneBudgetPerCall || CallBudget.Current is not { } budget)
        {
            return false;
        }

        bound = budget.Remaining(this, Guard.Timeout);
        if (bound > TimeSpan.Zero)
        {
            return false;
        }

        Counters.Timeout();
        return true;
    }

    /// <summary>A read not started because the call's budget is spent: a timeout, also on the read's span.</summary>
    private ValueTask<byte[]?> BudgetSpentRead()
    {
        CacheTracing.NoteTierReadFault(Name, BudgetSpentException);
        return new ValueTask<byte[]?>((byte[]?)null);
    }

    /// <summary>Turns a result-less call into one with a result, without a state machine when it completed at once.</summary>
    internal static ValueTask<bool> Completed(ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return new ValueTask<bool>(true);
        }

        return AwaitAsync(pending);

        static async ValueTask<bool> AwaitAsync(ValueTask pending)
        {
            await pending.ConfigureAwait(false);
            return true;
        }
    }
}
