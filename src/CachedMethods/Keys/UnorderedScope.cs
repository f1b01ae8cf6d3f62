namespace CachedMethods;

/// <summary>
/// An unordered collection being written into a key (see <see cref="CacheKeyBuilder.BeginUnordered"/>):
/// where it starts and where its last element starts. Generated code keeps it in a local.
/// </summary>
public struct UnorderedScope
{
    internal UnorderedScope(int start)
    {
        Start = start;
        Last = start;
        Count = 0;
    }

    internal int Start { get; }

    internal int Last { get; set; }

    internal int Count { get; set; }
}
