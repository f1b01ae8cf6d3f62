using CachedMethods.Generated.Tests.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CachedMethods.Generated.Tests;

/// <summary>services.AddCachedDecorators(): one call wraps every registered service that has a decorator.</summary>
public sealed class DependencyInjectionTests : IDisposable
{
    private readonly CacheFixture _cache = new();

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void WrapsTypeRegistrationsAndKeepsTheirLifetime()
    {
        var services = new ServiceCollection()
            .AddSingleton(_cache.Manager)
            .AddSingleton<IOcrService, CountingOcrService>()
            .AddScoped<IGeoService, GeoService>()
            .AddCachedDecorators();
        using var provider = services.BuildServiceProvider(validateScopes: true);

        var ocr = provider.GetRequiredService<IOcrService>();
        Assert.IsType<CachedOcrService>(ocr);
        Assert.Same(ocr, provider.GetRequiredService<IOcrService>());
        ocr.Concat("di", "1");
        ocr.Concat("di", "1");

        using var scope = provider.CreateScope();
        var geo = scope.ServiceProvider.GetRequiredService<IGeoService>();
        Assert.IsType<CachedGeoService>(geo);
        Assert.Equal(ServiceLifetime.Scoped, services.Single(d => d.ServiceType == typeof(IGeoService) && !d.IsKeyedService).Lifetime);
    }

    [Fact]
    public void WorksWithTheEnginesOwnRegistration()
    {
        var instance = new CountingOcrService();
        using var provider = new ServiceCollection()
            .AddCachedMethods(options =>
            {
                options.DiskCachePath = _cache.DiskPath;
                options.MemoryCacheSizeMb = 16;
            })
            .AddSingleton<IOcrService>(instance)
            .AddCachedDecorators()
            .BuildServiceProvider();

        var ocr = provider.GetRequiredService<IOcrService>();
        ocr.Concat("engine", "registration");
        ocr.Concat("engine", "registration");

        Assert.Equal(1, instance.Calls);
    }

    [Fact]
    public void WrapsInstanceAndFactoryRegistrations()
    {
        var instance = new CountingOcrService();
        var fromFactory = new CountingPeople();
        using var provider = new ServiceCollection()
            .AddSingleton(_cache.Manager)
            .AddSingleton<IOcrService>(instance)
            .AddTransient<IPeopleV1>(_ => fromFactory)
            .AddCachedDecorators()
            .BuildServiceProvider();

        var ocr = provider.GetRequiredService<IOcrService>();
        ocr.Concat("x", "y");
        ocr.Concat("x", "y");
        var people = provider.GetRequiredService<IPeopleV1>();
        people.Find(1);
        people.Find(1);

        Assert.IsType<CachedOcrService>(ocr);
        Assert.IsType<CachedPeopleV1>(people);
        Assert.Equal(1, instance.Calls);
        Assert.Equal(1, fromFactory.Calls);
    }

    [Fact]
    public void CallingItTwiceWrapsOnce()
    {
        var instance = new CountingOcrService();
        var services = new ServiceCollection()
            .AddSingleton(_cache.Manager)
            .AddSingleton<IOcrService>(instance)
            .AddCachedDecorators()
            .AddCachedDecorators();
        using var provider = services.BuildServiceProvider();

        var ocr = provider.GetRequiredService<IOcrService>();

        Assert.IsType<CachedOcrService>(ocr);
        Assert.Single(services, d => d.ServiceType == typeof(IOcrService) && d.IsKeyedService);
    }

    [Fact]
    public void LeavesAClassDecoratorOffOtherImplementations()
    {
        // The GeoService decorator comes from GeoService's own [Cached] methods, so another IGeoService stays as it is.
        using var provider = new ServiceCollection()
            .AddSingleton(_cache.Manager)
            .AddSingleton<IGeoService, OtherGeoService>()
            .AddCachedDecorators()
            .BuildServiceProvider();

        Assert.IsType<OtherGeoService>(provider.GetRequiredService<IGeoService>());
    }

    [Fact]
    public void WrapsKeyedRegistrationsUnderTheirKey()
    {
        var instance = new CountingOcrService();
        using var provider = new ServiceCollection()
            .AddSingleton(_cache.Manager)
            .AddKeyedSingleton<IOcrService>("fast", instance)
            .AddKeyedScoped<IOcrService, CountingOcrService>("scoped")
            .AddKeyedSingleton<IOcrService>("factory", (_, key) => new CountingOcrService())
            .AddCachedDecorators()
            .BuildServiceProvider(validateScopes: true);

        var fast = provider.GetRequiredKeyedService<IOcrService>("fast");
        fast.Concat("keyed", "1");
        fast.Concat("keyed", "1");
        using var scope = provider.CreateScope();

        Assert.IsType<CachedOcrService>(fast);
        Assert.IsType<CachedOcrService>(scope.ServiceProvider.GetRequiredKeyedService<IOcrService>("scoped"));
        Assert.IsType<CachedOcrService>(provider.GetRequiredKeyedService<IOcrService>("factory"));
        Assert.Equal(1, instance.Calls);
    }

    [Fact]
    public void WrapsAFactoryRegistrationOfTheClassWhoseMethodsAreCached()
    {
        // [Cached] is on GeoService's own method: a factory is wrapped when it returns a GeoService, only then.
        var geo = new GeoService();
        using var provider = new ServiceCollection()
            .AddSingleton(_cache.Manager)
            .AddSingleton<IGeoService>(_ => geo)
            .AddKeyedSingleton<IGeoService>("other", (_, _) => new OtherGeoService())
            .AddCachedDecorators()
            .BuildServiceProvider();

        var service = provider.GetRequiredService<IGeoService>();
        service.Lookup("paris");
        service.Lookup("paris");

        Assert.IsType<CachedGeoService>(service);
        Assert.Equal(1, geo.Calls);
        Assert.IsType<OtherGeoService>(provider.GetRequiredKeyedService<IGeoService>("other"));
    }

    [Fact]
    public void TheDecoratorIsRegisteredAsItselfSoItsInvalidatorsNeedNoCast()
    {
        var instance = new CountingOcrService();
        using var provider = new ServiceCollection()
            .AddSingleton(_cache.Manager)
            .AddSingleton<IOcrService>(instance)
            .AddKeyedSingleton<IOcrService>("keyed", new CountingOcrService())
            .AddCachedDecorators()
            .BuildServiceProvider();

        var ocr = provider.GetRequiredService<IOcrService>();
        var decorator = provider.GetRequiredService<CachedOcrService>();
        ocr.Concat("a", "b");

        Assert.Same(ocr, decorator);
        Assert.True(decorator.InvalidateConcat("a", "b"));
        ocr.Concat("a", "b");
        Assert.Equal(2, instance.Calls);
        Assert.Same(provider.GetRequiredKeyedService<IOcrService>("keyed"), provider.GetRequiredKeyedService<CachedOcrService>("keyed"));
    }

    private sealed class OtherGeoService : IGeoService
    {
        public string Lookup(string city) => city;

        public int Ping() => 0;
    }
}
