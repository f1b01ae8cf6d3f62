using System.Runtime.ExceptionServices;

namespace CachedMethods.Internal;

/// <summary>One synchronous computation of a key that concurrent synchronous callers wait for.</summary>
internal sealed class SyncFlight<T>
{
    private readonly ManualResetEventSlim _done = new(initialState: false);
    private T? _value;
    private ExceptionDispatchInfo? _error;

    public void Complete(T value)
    {
        _value = value;
        _done.Set();
    }

    public void Fail(Exception exception)
    {
        _error = ExceptionDispatchInfo.Capture(exception);
        _done.Set();
    }

    public T Wait()
    {
        _done.Wait();
        _error?.Throw();
        return _value!;
    }
}
