using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// A store behind the engine's promise that a cache failure never reaches the caller: every call goes
/// through one <see cref="CallGuard"/> (timeout, counted failure, circuit) and becomes a miss when it fails.
/// </summary>
internal sealed class GuardedStore
{
    private readonly ILogger _logger;

    public GuardedStore(ICacheStore store, TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        Store = store;
        _logger = logger;
        Guard = new CallGuard(store.Name, timeout, time, logger, () => store.IsAvailable, store.BoundsOwnCalls);
    }

    public ICacheStore Store { get; }

    /// <summary>The guard of this store; the fleet coordinator of a shared store goes through it too.</summary>
    public CallGuard Guard { get; }

    public TierCounters Counters => Guard.Counters;
    public CacheTiers Tier => Store.Tier;
    public string Name => Store.Name;
    public bool IsUsable => Guard.IsUsable;
    public bool CanRunSynchronously => Store.SupportsSynchronousIo;

    public byte[]? Get(string storageId) =>
        CanRunSynchronously ? Guard.Run((Store, storageId), static s => s.Store.Get(s.storageId), null, "get") : null;

    public ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken) =>
        Guard.RunAsync((Store, storageId), static (s, ct) => s.Store.GetAsync(s.storageId, ct), null, "get", cancellationToken);

    public bool Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive) =>
        Guard.Run((Store, storageId, envelope, timeToLive), static s => { s.Store.Set(s.storageId, s.envelope, s.timeToLive); return true; }, false, "set");

    public ValueTask<bool> SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        Guard.RunAsync((Store, storageId, envelope, timeToLive), static (s, ct) => Completed(s.Store.SetAsync(s.storageId, s.envelope, s.timeToLive, ct)), false, "set", cancellationToken);

    public bool Delete(string storageId) =>
        Guard.Run((Store, storageId), static s => s.Store.Delete(s.storageId), false, "delete");

    public ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken) =>
        Guard.RunAsync((Store, storageId), static (s, ct) => s.Store.DeleteAsync(s.storageId, ct), false, "delete", cancellationToken);

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
