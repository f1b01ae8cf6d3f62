using System.Collections.Concurrent;

namespace CachedMethods.Internal;

/// <summary>
/// The tag invalidation times this process knows (unix ms), and the one rule that uses them: an entry
/// created at or before one of its tags' invalidation is invalid. Invalidating a tag here also drops
/// the memory entries that carry it.
/// </summary>
/// <remarks>
/// Bounded in time and size (issue 14, item 5): a time learned from the fleet is trusted for
/// <see cref="Freshness"/>, then asked again; past <see cref="MaxTags"/> tags the oldest-learned half is
/// dropped, "never invalidated" answers first. A dropped tag costs one more round trip when next read.
/// </remarks>
internal sealed class TagClock(MemoryCacheStore? memory, TimeProvider? time = null)
{
    /// <summary>Stands for "asked the fleet: never invalidated", so the question is not asked again.</summary>
    public const long Never = long.MinValue;

    /// <summary>The most tags kept.</summary>
    public const int MaxTags = 10_000;

    /// <summary>How long a learned time is trusted before the fleet is asked again.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Known> _invalidatedAt = new(StringComparer.Ordinal);
    private int _pruning;

    /// <summary>Tags known now.</summary>
    public int Count => _invalidatedAt.Count;

    /// <summary>Records an invalidation (a later time wins) and drops the tagged memory entries.</summary>
    public void Invalidate(string tag, long atUnixMs)
    {
        Learn(tag, atUnixMs);
        memory?.RemoveByTag(tag);
    }

    /// <summary>Records a time read from the fleet; a later time already known wins.</summary>
    public void Learn(string tag, long atUnixMs)
    {
        var now = _time.GetTimestamp();
        _invalidatedAt.AddOrUpdate(tag, new Known(atUnixMs, now), (_, known) => new Known(Math.Max(known.At, atUnixMs), now));
        if (_invalidatedAt.Count > MaxTags)
        {
            Prune();
        }
    }

    /// <summary>Whether the tag's time is known here and recent enough not to ask the fleet again.</summary>
    public bool IsKnown(string tag) =>
        _invalidatedAt.TryGetValue(tag, out var known) && _time.GetElapsedTime(known.LearnedAt) < Freshness;

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
            if (_invalidatedAt.TryGetValue(tag, out var known) && known.At >= created)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Forgets every time: after a reconnect, invalidations may have been missed and are asked again.</summary>
    public void Clear() => _invalidatedAt.Clear();

    private void Prune()
    {
        if (Interlocked.Exchange(ref _pruning, 1) != 0)
        {
            return;
        }

        try
        {
            // "Never" answers first (asking again is all they cost), then the oldest-learned, down to half.
            var byValue = _invalidatedAt.ToArray();
            Array.Sort(byValue, static (a, b) => (a.Value.At == Never).CompareTo(b.Value.At == Never) is var never and not 0
                ? -never
                : a.Value.LearnedAt.CompareTo(b.Value.LearnedAt));
            for (var i = 0; i < byValue.Length && _invalidatedAt.Count > MaxTags / 2; i++)
            {
                _invalidatedAt.TryRemove(byValue[i]);
            }
        }
        finally
        {
            Volatile.Write(ref _pruning, 0);
        }
    }

    private readonly record struct Known(long At, long LearnedAt);
}
