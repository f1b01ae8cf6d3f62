namespace CachedMethods.Internal;

/// <summary>
/// The fleet's one clock (issue 9, case 7): the shared store's time (Redis <c>TIME</c>) read through the
/// local monotonic clock, as an offset refreshed by <see cref="RedisFleetCoordinator"/>. Every stamp an
/// entry, a removal or an invalidation carries is on this clock, so skew between machines decides nothing.
/// </summary>
/// <remarks>
/// The offset is taken as if the store read its clock when the reply arrived, so a stamp is never ahead
/// of the store's clock: a computation's start stamp errs early, which makes it overlap an invalidation
/// rather than miss one. Without a shared store (or before the first reading) it is the local clock.
/// </remarks>
internal sealed class FleetClock(TimeProvider time)
{
    private long _offsetMs;
    private long _bestRoundTripTicks = long.MaxValue;
    private long _readAt;
    private long _floor;

    /// <summary>Whether the store's clock has been read at least once.</summary>
    public bool IsSynchronized => Volatile.Read(ref _readAt) != 0;

    /// <summary>The fleet's time now, in unix milliseconds.</summary>
    public long Now() => Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds() + Volatile.Read(ref _offsetMs), Volatile.Read(ref _floor) + 1);

    /// <summary>
    /// Records a time the store stamped (a clear's horizon) that this process has seen: every later stamp here
    /// is after it, whatever the offset's error, so a write made after a clear was heard is never void by it.
    /// </summary>
    public void Observe(long storeTime) => AtomicMax.Raise(ref _floor, storeTime);

    /// <summary>The synchronous form of <see cref="SynchronizeAsync"/>, for the first reading at start.</summary>
    public bool Synchronize(Func<long> readStoreClock)
    {
        var sent = time.GetTimestamp();
        var storeNow = readStoreClock();
        Adopt(storeNow, sent, time.GetTimestamp());
        return true;
    }

    /// <summary>Reads the store's clock and adopts it unless an earlier reading had a shorter round trip and is recent.</summary>
    public async ValueTask SynchronizeAsync(Func<CancellationToken, ValueTask<long>> readStoreClock, CancellationToken cancellationToken)
    {
        var sent = time.GetTimestamp();
        var storeNow = await readStoreClock(cancellationToken).ConfigureAwait(false);
        Adopt(storeNow, sent, time.GetTimestamp());
    }

    private void Adopt(long storeNow, long sent, long received)
    {
        var roundTrip = received - sent;
        // A reading over a slow round trip is less exact; keep a better one for a minute.
        if (roundTrip > Volatile.Read(ref _bestRoundTripTicks) && time.GetElapsedTime(Volatile.Read(ref _readAt)) < TimeSpan.FromMinutes(1))
        {
            return;
        }

        Volatile.Write(ref _offsetMs, storeNow - time.GetUtcNow().ToUnixTimeMilliseconds());
        Volatile.Write(ref _bestRoundTripTicks, roundTrip);
        Volatile.Write(ref _readAt, received);
    }
}
