using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;

namespace CachedMethods.Benchmarks.Services;

/// <summary>The service of the stampede group (5): a slow method that every caller asks for at once.</summary>
public interface IStampedeService
{
    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    ValueTask<Item> ComputeAsync(int id, CancellationToken cancellationToken = default);
}

/// <summary>A 50 ms computation that counts how often it runs.</summary>
public sealed class StampedeService : IStampedeService
{
    /// <summary>How long one computation takes.</summary>
    public static readonly TimeSpan FactoryTime = TimeSpan.FromMilliseconds(50);

    private int _calls;

    /// <summary>How many computations have started.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public async ValueTask<Item> ComputeAsync(int id, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        await Task.Delay(FactoryTime, cancellationToken);
        return new Item(id, "computed");
    }
}
