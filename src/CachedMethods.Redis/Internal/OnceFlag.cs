namespace CachedMethods.Redis.Internal;

/// <summary>A flag that one caller sets first: says a log line once until it is reset.</summary>
internal sealed class OnceFlag
{
    private int _set;

    public bool IsSet => Volatile.Read(ref _set) != 0;

    /// <summary>Sets the flag; <see langword="true"/> only for the caller that set it.</summary>
    public bool TrySet() => Interlocked.Exchange(ref _set, 1) == 0;

    public void Reset() => Volatile.Write(ref _set, 0);
}
