namespace CachedMethods.Generated.Tests.Services;

/// <summary>The implementation surface: [Cached] on the class method that implements the interface.</summary>
public interface IGeoService
{
    string Lookup(string city);

    int Ping();
}

public sealed class GeoService : IGeoService
{
    private int _calls;

    public int Calls => _calls;

    [Cached(Ttl = 30)]
    public string Lookup(string city)
    {
        Interlocked.Increment(ref _calls);
        return city.ToUpperInvariant();
    }

    public int Ping() => Interlocked.Increment(ref _calls);
}

public sealed record PersonV1(string Name);

public sealed record PersonV2(string Name, int Age);

// These interfaces stand for two deploys of one method, which share a Name on purpose; in one build that
// is CM0021, since two live methods with one Name would read each other's entries.
#pragma warning disable CM0021

/// <summary>Two deploys of one method (same Name) whose result type changed shape.</summary>
public interface IPeopleV1
{
    [Cached(Name = "people.lookup")]
    PersonV1 Find(int id);
}

public interface IPeopleV2
{
    [Cached(Name = "people.lookup")]
    PersonV2 Find(int id);
}

/// <summary>Two deploys of one method (same Name, same result) whose Version was bumped.</summary>
public interface IConverterV1
{
    [Cached(Name = "text.convert", Version = 1)]
    string Convert(string text);
}

public interface IConverterV1Again
{
    [Cached(Name = "text.convert", Version = 1)]
    string Convert(string text);
}

public interface IConverterV2
{
    [Cached(Name = "text.convert", Version = 2)]
    string Convert(string text);
}
#pragma warning restore CM0021

/// <summary>Answers every interface above, counting its calls.</summary>
public sealed class CountingPeople : IPeopleV1, IPeopleV2, IConverterV1, IConverterV1Again, IConverterV2
{
    private int _calls;

    public int Calls => _calls;

    PersonV1 IPeopleV1.Find(int id)
    {
        Interlocked.Increment(ref _calls);
        return new PersonV1("p" + id);
    }

    PersonV2 IPeopleV2.Find(int id)
    {
        Interlocked.Increment(ref _calls);
        return new PersonV2("p" + id, id);
    }

    public string Convert(string text)
    {
        Interlocked.Increment(ref _calls);
        return text.ToUpperInvariant();
    }
}
