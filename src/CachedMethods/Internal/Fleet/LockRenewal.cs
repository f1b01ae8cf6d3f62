namespace CachedMethods.Internal;

/// <summary>Keeps a held fleet lock alive while its holder computes (renewing at a third of its expiry), and releases it at the end.</summary>
internal sealed class LockRenewal : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IFleetCoordinator _fleet;
    private readonly string _storageId;
    private readonly string _token;
    private readonly Task _loop;

    public LockRenewal(IFleetCoordinator fleet, string storageId, string token, TimeSpan expiry, TimeProvider time)
    {
        _fleet = fleet;
        _storageId = storageId;
        _token = token;
        _loop = RenewAsync(expiry / 3, time);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        await _fleet.ReleaseLockAsync(_storageId, _token).ConfigureAwait(false);
    }

    private async Task RenewAsync(TimeSpan interval, TimeProvider time)
    {
        try
        {
            // A failed renewal is logged and counted by the guard; the lock then expires and a waiter takes over.
            do
            {
                await Task.Delay(interval, time, _stop.Token).ConfigureAwait(false);
            }
            while (await _fleet.RenewLockAsync(_storageId, _token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped by its holder.
        }
    }
}
