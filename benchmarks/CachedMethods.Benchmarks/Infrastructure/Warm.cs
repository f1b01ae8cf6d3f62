namespace CachedMethods.Benchmarks.Infrastructure;

/// <summary>Warms an entry in GlobalSetup and proves that the next call is a hit.</summary>
public static class Warm
{
    /// <summary>
    /// Calls <paramref name="call"/> once to store the entry, then again, and throws if the second call
    /// reached the service (its call count moved): a row that would time a miss fails the run instead.
    /// </summary>
    public static async Task HitAsync<T>(string row, Func<int> serviceCalls, Func<ValueTask<T>> call)
    {
        await call();
        var before = serviceCalls();
        await call();
        if (serviceCalls() != before)
        {
            throw new InvalidOperationException($"{row}: the call after warm-up reached the service, so the row would time a miss, not a hit.");
        }
    }
}
