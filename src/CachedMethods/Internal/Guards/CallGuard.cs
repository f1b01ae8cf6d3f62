using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// The one guard every call that leaves the process goes through (a store read or write, a lock, a
/// publish): it skips the call while the target is down or its circuit is open, bounds an asynchronous
/// call by a timeout, and turns any failure into a logged, counted fallback value. Repeated failures
/// open the circuit.
/// </summary>
/// <remarks>
/// Synchronous calls cannot be abandoned without blocking another thread on them, so their bound is the
/// target's own (Redis: its sync timeout). A target that already bounds its asynchronous calls by the
/// same timeout (<see cref="ICacheStore.BoundsOwnCalls"/>) is awaited without a second timer.
/// A caller's own cancellation is rethrown, never counted as a failure.
/// </remarks>
internal sealed class CallGuard(string name, TimeSpan timeout, TimeProvider time, ILogger logger, Func<bool> isAvailable, bool boundsOwnCalls)
{
    /// <summary>The operation name of a store read: its failure or skip is also noted on the tier-read span.</summary>
    public const string ReadOperation = "get";

    private readonly CircuitBreaker _circuit = new(time);

    public string Name => name;

    public TimeSpan Timeout => timeout;

    public TierCounters Counters { get; } = new();

    /// <summary>Whether repeated failures have opened the circuit, so calls are skipped until a probe succeeds.</summary>
    public bool IsCircuitOpen => _circuit.IsOpen;

    /// <summary>Reachable and not shut off by the circuit: what the health properties report.</summary>
    public bool IsUsable => isAvailable() && !_circuit.IsOpen;

    /// <summary>Runs a synchronous call; <paramref name="fallback"/> when it is skipped or fails.</summary>
    public TResult Run<TState, TResult>(TState state, Func<TState, TResult> call, TResult fallback, string operation)
    {
        if (!Enter(out var probe))
        {
            Skipped(operation);
            return fallback;
        }

        try
        {
            var result = call(state);
            Succeeded();
            return result;
        }
        catch (Exception ex)
        {
            Failed(ex, operation, probe);
            return fallback;
        }
    }

    /// <summary>Runs an asynchronous call within <paramref name="bound"/> (default: the guard's timeout); <paramref name="fallback"/> when it is skipped, fails or times out.</summary>
    public ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, CancellationToken, ValueTask<TResult>> call, TResult fallback, string operation, CancellationToken cancellationToken, TimeSpan bound = default)
    {
        if (!Enter(out var probe))
        {
            Skipped(operation);
            return new ValueTask<TResult>(fallback);
        }

        ValueTask<TResult> pending;
        try
        {
            pending = call(state, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(ex, operation, probe);
            return new ValueTask<TResult>(fallback);
        }

        if (pending.IsCompletedSuccessfully)
        {
            // The common case of a fast store: no state machine, no timer.
            Succeeded();
            return new ValueTask<TResult>(pending.Result);
        }

        return AwaitAsync(pending, fallback, operation, bound == default ? timeout : bound, probe, cancellationToken);
    }

    private async ValueTask<TResult> AwaitAsync<TResult>(ValueTask<TResult> pending, TResult fallback, string operation, TimeSpan bound, bool probe, CancellationToken cancellationToken)
    {
        try
        {
            var result = boundsOwnCalls && bound == timeout
                ? await pending.ConfigureAwait(false)
                : await pending.AsTask().WaitAsync(bound, time, cancellationToken).ConfigureAwait(false);
            Succeeded();
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Failed(ex, operation, probe);
            return fallback;
        }
    }

    private bool Enter(out bool probe)
    {
        probe = false;
        return isAvailable() && _circuit.AllowCall(out probe);
    }

    private void Skipped(string operation)
    {
        if (operation == ReadOperation)
        {
            CacheTracing.NoteTierReadFault(name, null);
        }
    }

    private void Succeeded()
    {
        if (_circuit.OnSuccess())
        {
            Log.CircuitClosed(logger, name);
        }
    }

    private void Failed(Exception exception, string operation, bool probe)
    {
        if (exception is TimeoutException)
        {
            Counters.Timeout();
        }
        else
        {
            Counters.Error();
        }

        Log.StoreFailed(logger, name, operation, exception is TimeoutException ? "timed out" : exception.GetType().Name, exception);
        if (operation == ReadOperation)
        {
            CacheTracing.NoteTierReadFault(name, exception);
        }

        if (_circuit.OnFailure(probe))
        {
            Log.CircuitOpened(logger, name, CircuitBreaker.FailureThreshold);
        }
    }
}
