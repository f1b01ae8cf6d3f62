using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// Puts a store behind the engine's promise that a cache failure never reaches the caller: every
/// asynchronous call is bounded by a timeout, every exception is logged and counted and becomes a miss,
/// and repeated failures open a circuit so a dead store is skipped until a probe succeeds.
/// </summary>
/// <remarks>
/// Synchronous calls cannot be abandoned without blocking another thread on them, so their bound is the
/// store's own (see <see cref="ICacheStore"/>): Redis' <c>SyncTimeout</c>; the local disk needs none.
/// </remarks>
internal sealed class GuardedStore(ICacheStore store, TimeSpan timeout, TimeProvider time, ILogger logger)
{
    private readonly CircuitBreaker _circuit = new(time);

    public ICacheStore Store { get; } = store;
    public TimeSpan Timeout { get; } = timeout;
    public TierCounters Counters { get; } = new();
    public CacheTiers Tier => Store.Tier;
    public string Name => Store.Name;

    /// <summary>Connected and not shut off by the circuit: what the health properties report.</summary>
    public bool IsUsable => Store.IsAvailable && !_circuit.IsOpen;

    public bool CanRunSynchronously => Store.SupportsSynchronousIo;

    public byte[]? Get(string storageId)
    {
        if (!Store.SupportsSynchronousIo || !Enter())
        {
            return null;
        }

        try
        {
            var value = Store.Get(storageId);
            Succeeded();
            return value;
        }
        catch (Exception ex)
        {
            Failed(ex, "get");
            return null;
        }
    }

    public async ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken)
    {
        if (!Enter())
        {
            return null;
        }

        try
        {
            var value = await Store.GetAsync(storageId, cancellationToken).AsTask().WaitAsync(Timeout, time, cancellationToken).ConfigureAwait(false);
            Succeeded();
            return value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Failed(ex, "get");
            return null;
        }
    }

    public bool Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive)
    {
        if (!Enter())
        {
            return false;
        }

        try
        {
            Store.Set(storageId, envelope, timeToLive);
            Succeeded();
            return true;
        }
        catch (Exception ex)
        {
            Failed(ex, "set");
            return false;
        }
    }

    public async ValueTask<bool> SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        if (!Enter())
        {
            return false;
        }

        try
        {
            await Store.SetAsync(storageId, envelope, timeToLive, cancellationToken).AsTask().WaitAsync(Timeout, time, cancellationToken).ConfigureAwait(false);
            Succeeded();
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Failed(ex, "set");
            return false;
        }
    }

    public bool Delete(string storageId)
    {
        if (!Enter())
        {
            return false;
        }

        try
        {
            var removed = Store.Delete(storageId);
            Succeeded();
            return removed;
        }
        catch (Exception ex)
        {
            Failed(ex, "delete");
            return false;
        }
    }

    public async ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken)
    {
        if (!Enter())
        {
            return false;
        }

        try
        {
            var removed = await Store.DeleteAsync(storageId, cancellationToken).AsTask().WaitAsync(Timeout, time, cancellationToken).ConfigureAwait(false);
            Succeeded();
            return removed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Failed(ex, "delete");
            return false;
        }
    }

    public long Clear()
    {
        if (!Enter())
        {
            return 0;
        }

        try
        {
            var removed = Store.Clear();
            Succeeded();
            return removed;
        }
        catch (Exception ex)
        {
            Failed(ex, "clear");
            return 0;
        }
    }

    public async ValueTask<long> ClearAsync(CancellationToken cancellationToken)
    {
        if (!Enter())
        {
            return 0;
        }

        try
        {
            // A clear walks the whole prefix: it gets a longer bound than a single-key call.
            var removed = await Store.ClearAsync(cancellationToken).AsTask().WaitAsync(Timeout * 20, time, cancellationToken).ConfigureAwait(false);
            Succeeded();
            return removed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Failed(ex, "clear");
            return 0;
        }
    }

    public StoreUsage GetUsage()
    {
        try
        {
            return Store.GetUsage();
        }
        catch (Exception ex)
        {
            // Statistics are not a call path: a failure here neither counts as an error nor moves the circuit.
            Log.StoreFailed(logger, Name, "usage", ex.GetType().Name, ex);
            return StoreUsage.Unknown;
        }
    }

    private bool Enter() => Store.IsAvailable && _circuit.AllowCall();

    private void Succeeded()
    {
        if (_circuit.OnSuccess())
        {
            Log.CircuitClosed(logger, Name);
        }
    }

    private void Failed(Exception exception, string operation)
    {
        Counters.Error();
        Log.StoreFailed(logger, Name, operation, exception is TimeoutException ? "timed out" : exception.GetType().Name, exception);
        if (_circuit.OnFailure())
        {
            Log.CircuitOpened(logger, Name, CircuitBreaker.FailureThreshold);
        }
    }
}
