using System.Collections.Concurrent;

namespace CachedMethods.Internal;

/// <summary>
/// The <see cref="MethodCounters"/> of one engine, by method name. A method's counters are looked up on
/// a miss or a write (the key's name is parsed once per <see cref="CacheKey"/>), never on a memory hit.
/// </summary>
internal sealed class MethodRegistry
{
    private readonly ConcurrentDictionary<string, MethodCounters> _methods = new(StringComparer.Ordinal);

    public MethodRegistry() => Direct = For(MethodScope.Direct);

    /// <summary>The counters of calls made with the caller's own keys.</summary>
    public MethodCounters Direct { get; }

    public ICollection<MethodCounters> All => _methods.Values;

    public MethodCounters For(CacheKey key) => For(key.MethodName);

    public MethodCounters For(string name) => _methods.GetOrAdd(name, static n => new MethodCounters(n));

    /// <summary>Every memory hit of this engine, summed over its methods.</summary>
    public long MemoryHits
    {
        get
        {
            long sum = 0;
            foreach (var method in _methods.Values)
            {
                sum += method.MemoryHits.Value;
            }

            return sum;
        }
    }

    public void Reset()
    {
        foreach (var method in _methods.Values)
        {
            method.Reset();
        }
    }
}
