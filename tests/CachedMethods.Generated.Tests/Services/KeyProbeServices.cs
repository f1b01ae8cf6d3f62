using System.Collections.Immutable;

namespace CachedMethods.Generated.Tests.Services;

/// <summary>Key shapes whose false hits issue 11 found, and the shapes that now just work.</summary>
public interface IKeyProbe
{
    [Cached]
    string Echo(string text);

    [Cached]
    int Count(int value);

    [Cached]
    int Count(int? value);

    [Cached]
    int Total(Dictionary<string, int> counts);

    [Cached]
    int Distinct(HashSet<string> items);

    [Cached]
    int Pairs(List<KeyValuePair<string, int>> pairs);

    [Cached]
    string Describe((int Id, string Name) item);

    [Cached]
    int Length(ImmutableArray<int> values);

    [Cached]
    string TypeName<T>(string id);

    /// <summary>Parameters named like the decorator's own members: they must not shadow them.</summary>
    [Cached]
    string Shadowed(string _cache, [NotCacheKey] IKeyProbe _inner, int WriteKey);
}

/// <summary>Answers <see cref="IKeyProbe"/>, counting the calls that reach it.</summary>
public sealed class KeyProbe : IKeyProbe
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public string Echo(string text) => Count(text);

    public int Count(int value) => Count(value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Length;

    public int Count(int? value) => Count("nullable").Length;

    public int Total(Dictionary<string, int> counts) => Count(counts.Values.Sum());

    public int Distinct(HashSet<string> items) => Count(items.Count);

    public int Pairs(List<KeyValuePair<string, int>> pairs) => Count(pairs.Count);

    public string Describe((int Id, string Name) item) => Count($"{item.Id}:{item.Name}");

    public int Length(ImmutableArray<int> values) => Count(values.IsDefault ? -1 : values.Length);

    public string TypeName<T>(string id) => Count(typeof(T).Name + id);

    public string Shadowed(string _cache, IKeyProbe _inner, int WriteKey) => Count("inner:" + _cache + WriteKey);

    private T Count<T>(T result)
    {
        Interlocked.Increment(ref _calls);
        return result;
    }
}

/// <summary>A partial class whose Core reads instance state, put into the key with [CacheKey].</summary>
public sealed partial class Translator([CacheKey] string language, CacheManager cache)
{
    // Counts misses for the tests; it never changes a result.
    [NotCacheKey]
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [Cached]
    public partial string Greet(string name);

    private string GreetCore(string name)
    {
        Interlocked.Increment(ref _calls);
        return (language == "fr" ? "Bonjour " : "Hello ") + name;
    }
}
