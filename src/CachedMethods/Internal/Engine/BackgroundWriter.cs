using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CachedMethods.Internal;

/// <summary>
/// Carries writes from synchronous calls to stores that have no synchronous API (S3), so that a
/// synchronous caller never blocks on asynchronous work. Bounded: when full, a write is dropped and
/// logged (the entry is simply not persisted; nothing stored is damaged). Drained on dispose.
/// </summary>
internal sealed class BackgroundWriter : IAsyncDisposable
{
    private readonly Channel<(GuardedStore Store, Func<GuardedStore, ValueTask> Work)> _queue;
    private readonly Task _pump;
    private readonly ILogger _logger;
    private readonly int _capacity;

    public BackgroundWriter(int capacity, ILogger logger)
    {
        _capacity = capacity;
        _logger = logger;
        _queue = Channel.CreateBounded<(GuardedStore, Func<GuardedStore, ValueTask>)>(
            new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _pump = Task.Run(PumpAsync);
    }

    public void Enqueue(GuardedStore store, Func<GuardedStore, ValueTask> work)
    {
        if (!_queue.Writer.TryWrite((store, work)))
        {
            store.Counters.Error();
            Log.QueueFull(_logger, _capacity, store.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        await foreach (var (store, work) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work(store).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The guard already turns store failures into misses; this catches only the unexpected.
                Log.BackgroundWriteFailed(_logger, store.Name, ex);
            }
        }
    }
}
