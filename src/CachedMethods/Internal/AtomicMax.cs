namespace CachedMethods.Internal;

/// <summary>Raises a shared <see cref="long"/> to a value when the value is larger, without a lock.</summary>
internal static class AtomicMax
{
    public static void Raise(ref long location, long value)
    {
        var known = Volatile.Read(ref location);
        while (value > known)
        {
            var seen = Interlocked.CompareExchange(ref location, value, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }
}
