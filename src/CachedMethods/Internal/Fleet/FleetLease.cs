namespace CachedMethods.Internal;

/// <summary>
/// A held fleet lock, renewed at a third of its expiry while its holder computes, and released
/// (compare-and-delete by token) when the holder is done. The token fences the holder's write: the commit
/// script stores its result only while the token still owns the lock, so a renewal that failed (a pause
/// past the expiry, a Redis outage) makes the result local only (issue 9, case 4).
/// </summary>
/// <remarks>
/// A holder that returns a stale value at its soft timeout hands the lease to its background computation
/// (<see cref="HandOver"/>), which keeps renewing it until it has stored, so the waiters do not run the
/// factory again (issue 9, case 3).
/// </remarks>
internal sealed class FleetLease : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IFleetCoordinator _fleet;
    private readonly string _storageId;
    private readonly Task _loop;
    private int _handedOver;
    private int _disposed;

    public FleetLease(IFleetCoordinator fleet, string storageId, string token, TimeSpan expiry, TimeProvider time)
    {
        _fleet = fleet;
        _storageId = storageId;
        Token = token;
        _loop = RenewAsync(expiry / 3, time);
    }

    /// <summary>The lock's token: the commit script's fencing token.</summary>
    public string Token { get; }

    /// <summary>Whether a renewal found the lock no longer ours (or failed): the result can only be local.</summary>
    public bool Lost { get; private set; }

    /// <summary>Whether a background computation took the lease over; its first owner must then not release it.</summary>
    public bool HandedOver => Volatile.Read(ref _handedOver) != 0;

    /// <summary>Gives the lease to a computation that goes on in the background; it releases the lease when it has stored.</summary>
    public void HandOver() => Volatile.Write(ref _handedOver, 1);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        // Compare-and-delete: a lease taken over by another process is left alone, and no Released is sent for it.
        await _fleet.ReleaseLockAsync(_storageId, Token).ConfigureAwait(false);
    }

    private async Task RenewAsync(TimeSpan interval, TimeProvider time)
    {
        try
        {
            do
            {
                await Task.Delay(interval, time, _stop.Token).ConfigureAwait(false);
            }
            while (await _fleet.RenewLockAsync(_storageId, Token).ConfigureAwait(false));

            // The lock expired or was taken: a waiter may compute now, and our commit will be fenced out.
            Lost = true;
        }
        catch (OperationCanceledException)
        {
            // Stopped by its holder.
        }
    }
}
