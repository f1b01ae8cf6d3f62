namespace CachedMethods.Tests.Infrastructure;

/// <summary>What a <see cref="ChaosStore"/> does with the calls it receives.</summary>
public enum ChaosMode
{
    /// <summary>Passes every call to the inner store.</summary>
    Pass,
    /// <summary>Throws from every call.</summary>
    Throw,
    /// <summary>Never answers: asynchronous calls return a task that never completes, synchronous calls block until released.</summary>
    Hang,
}

/// <summary>
/// A fault-injecting decorator around a tier (after FusionCache's Chaos* types): counts the calls that
/// reach it and, depending on <see cref="Mode"/>, passes them on, throws, or hangs.
/// </summary>
public sealed class ChaosStore(ICacheStore inner) : ICacheStore
{
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _releaseBlockedThreads = new(false);
    private volatile ChaosMode _mode;
    private int _calls;

    public ChaosStore(ChaosMode mode = ChaosMode.Pass)
        : this(new InMemoryStore())
    {
        _mode = mode;
    }

    public ICacheStore Inner { get; } = inner;

    public ChaosMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    /// <summary>Calls that reached the store (usage queries excluded).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public CacheTiers Tier => Inner.Tier;

    public string Name => Inner.Name;

    public bool IsAvailable => true;

    public bool SupportsSynchronousIo => true;

    public byte[]? Get(string storageId)
    {
        Enter();
        return Inner.Get(storageId);
    }

    public async ValueTask<byte[]?> GetAsync(string storageId, CancellationToken cancellationToken)
    {
        await EnterAsync();
        return await Inner.GetAsync(storageId, cancellationToken);
    }

    public void Set(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive)
    {
        Enter();
        Inner.Set(storageId, envelope, timeToLive);
    }

    public async ValueTask SetAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        await EnterAsync();
        await Inner.SetAsync(storageId, envelope, timeToLive, cancellationToken);
    }

    public bool Delete(string storageId)
    {
        Enter();
        return Inner.Delete(storageId);
    }

    public async ValueTask<bool> DeleteAsync(string storageId, CancellationToken cancellationToken)
    {
        await EnterAsync();
        return await Inner.DeleteAsync(storageId, cancellationToken);
    }

    public long Clear()
    {
        Enter();
        return Inner.Clear();
    }

    public async ValueTask<long> ClearAsync(CancellationToken cancellationToken)
    {
        await EnterAsync();
        return await Inner.ClearAsync(cancellationToken);
    }

    public StoreUsage GetUsage() => Inner.GetUsage();

    /// <summary>Lets every blocked synchronous call go (it then throws) and ends every hanging asynchronous one.</summary>
    public void Release()
    {
        _releaseBlockedThreads.Set();
        _never.TrySetException(new IOException("chaos store released"));
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await Inner.DisposeAsync();
    }

    private void Enter()
    {
        Interlocked.Increment(ref _calls);
        switch (_mode)
        {
            case ChaosMode.Throw:
                throw new IOException("chaos: store failed");
            case ChaosMode.Hang:
                _releaseBlockedThreads.Wait();
                throw new IOException("chaos: store hung");
        }
    }

    private Task EnterAsync()
    {
        Interlocked.Increment(ref _calls);
        return _mode switch
        {
            ChaosMode.Throw => Task.FromException(new IOException("chaos: store failed")),
            ChaosMode.Hang => _never.Task,
            _ => Task.CompletedTask,
        };
    }
}
