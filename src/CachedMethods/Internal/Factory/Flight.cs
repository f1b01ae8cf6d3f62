namespace CachedMethods.Internal;

/// <summary>
/// One in-process computation of a key that every concurrent caller awaits. The computation runs on
/// its own token: one waiter's cancellation only stops that waiter, and the computation is cancelled
/// only when every waiter has gone.
/// </summary>
internal sealed class Flight<T>
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _computation = new();
    private int _waiters = 1;

    public CancellationToken Token => _computation.Token;

    /// <summary>Adds a waiter; <see langword="false"/> when every earlier waiter has already gone.</summary>
    public bool TryJoin()
    {
        while (true)
        {
            var current = Volatile.Read(ref _waiters);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _waiters, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public async ValueTask<T> WaitAsync(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return await _result.Task.ConfigureAwait(false);
        }

        try
        {
            return await _result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_result.Task.IsCompleted)
        {
            if (Interlocked.Decrement(ref _waiters) == 0)
            {
                _computation.Cancel();
            }

            throw;
        }
    }

    public void Complete(T value)
    {
        // The token source holds no timer, so it is left to the GC rather than disposed under a racing Cancel.
        _result.TrySetResult(value);
    }

    public void Fail(Exception exception)
    {
        _result.TrySetException(exception);
        // Observed here so that a failure nobody waits for any more is not reported as unobserved.
        _ = _result.Task.Exception;
    }
}
