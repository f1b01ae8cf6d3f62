namespace CachedMethods.Internal;

/// <summary>
/// One timeout per call per store (issue 14, item 9): a miss that reads a store, computes and writes back
/// spends one budget there, the store's timeout, not one per operation. A hung S3 once made one call wait
/// 5 s for its read and 5 s more for its write.
/// </summary>
/// <remarks>
/// Begun for the asynchronous miss path (<c>CacheManager.LoadOrComputeAsync</c>) and carried by the
/// execution context into its reads, the factory run and the write-back, so no signature on that path
/// changes. The first operation on a store starts its clock; later ones get what is left, and once it is
/// spent they are not started (a write not started leaves the key unsettled there, like a failed one).
/// Only stores that opt in use it (<see cref="GuardedStore"/>: S3); calls outside a miss are bounded per
/// operation as before.
/// </remarks>
internal sealed class CallBudget
{
    private static readonly AsyncLocal<CallBudget?> Ambient = new();

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private GuardedStore? _store;
    private long _startedAt;

    private CallBudget(TimeProvider time) => _time = time;

    /// <summary>The budget of the call running in this execution context, if any.</summary>
    public static CallBudget? Current => Ambient.Value;

    /// <summary>Starts a budget for the rest of the calling async method and what it awaits.</summary>
    public static void Begin(TimeProvider time) => Ambient.Value = new CallBudget(time);

    /// <summary>
    /// What is left of <paramref name="store"/>'s budget in this call; its first use starts the clock.
    /// Zero or less: spent. A budget follows one store; another store's calls are not bounded by it.
    /// </summary>
    public TimeSpan Remaining(GuardedStore store, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_store is null)
            {
                _store = store;
                _startedAt = _time.GetTimestamp();
                return timeout;
            }

            return ReferenceEquals(_store, store) ? timeout - _time.GetElapsedTime(_startedAt) : timeout;
        }
    }
}
