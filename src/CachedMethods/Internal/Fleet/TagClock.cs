using System.Collections.Concurrent;

namespace CachedMethods.Internal;

/// <summary>
/// The tag invalidation times this process knows (unix ms), and the one rule that uses them: an entry
/// created at or before one of its tags' invalidation is invalid. Invalidating a tag here also drops
/// the memory entries that carry it.
/// </summary>
internal sealed class TagClock(MemoryCacheStore? memory)
{
    /// <summary>Stands for "asked the fleet: never invalidated", so the question is not asked again.</summary>
    public const long Never = long.MinValue;

    private readonly ConcurrentDictionary<string, long> _invalidatedAt = new(StringComparer.Ordinal);

    /// <summary>Records an invalidation (a later time wins) and drops the tagged memory entries.</summary>
    public void Invalidate(string tag, long atUnixMs)
    {
        Learn(tag, atUnixMs);
        memory?.RemoveByTag(tag);
    }

    /// <summary>Records a time read from the fleet; a later time already known wins.</summary>
    public void Learn(string tag, long atUnixMs) =>
        _invalidatedAt.AddOrUpdate(tag, atUnixMs, (_, known) => Math.Max(known, atUnixMs));

    public bool IsKnown(string tag) => _invalidatedAt.ContainsKey(tag);

    /// <summary>Whether the entry is older than an invalidation of one of its tags known here.</summary>
    public bool IsInvalidated(in EnvelopeContent content)
    {
        if (content.Tags is not { Count: > 0 } tags)
        {
            return false;
        }

        var created = content.CreatedAt.ToUnixTimeMilliseconds();
        foreach (var tag in tags)
        {
            if (_invalidatedAt.TryGetValue(tag, out var at) && at >= created)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Forgets every time: after a reconnect, invalidations may have been missed and are asked again.</summary>
    public void Clear() => _invalidatedAt.Clear();
}
