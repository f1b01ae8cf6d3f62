// Usage: CachedMethods.AotSmoke <disk-folder>
// The first run computes and stores; a second run over the same folder must be served from disk and read back
// exactly what the first stored. Prints one line, "computed" or "disk", and exits 1 on anything else.
using CachedMethods;
using CachedMethods.AotSmoke;
using CachedMethods.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

[assembly: CacheSerializable(typeof(Quote))]

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: CachedMethods.AotSmoke <disk-folder>");
    return 2;
}

var options = new CacheOptions { DiskCachePath = args[0], Environment = CacheEnvironment.Main };
await using var cache = new CacheManager(options);
var reports = new Reports(cache);

var report = await reports.BuildAsync("doc-1");
var quote = await cache.GetOrCreateAsync("quote:doc-1", _ => new ValueTask<Quote>(Quote.Expected));
// CachedMethods.Hybrid declares IsAotCompatible too: HybridCache's API over the same engine.
var hybridQuote = await new CachedMethodsHybridCache(cache).GetOrCreateAsync("hybrid:doc-1", _ => new ValueTask<Quote>(Quote.Expected));
// CachedMethods.HealthChecks declares IsAotCompatible too: its checks through AddHealthChecks(), as an app runs them.
var services = new ServiceCollection().AddLogging().AddSingleton(cache);
services.AddHealthChecks().AddCachedMethods();
await using (var provider = services.BuildServiceProvider())
{
    var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    if (health.Status != HealthStatus.Healthy || health.Entries.Count != 3)
    {
        Console.WriteLine($"health: {health.Status}, {string.Join(", ", health.Entries.Select(e => $"{e.Key} {e.Value.Status} {e.Value.Description}"))}");
        return 1;
    }
}

var stats = cache.GetStats();
var diskHits = stats.Tiers.Where(t => t.Name == "disk").Sum(t => t.Hits);

if (!Report.Expected.SameAs(report) || quote != Quote.Expected || hybridQuote != Quote.Expected)
{
    Console.WriteLine("wrong value read back");
    return 1;
}

if (reports.Calls == 1 && diskHits == 0)
{
    Console.WriteLine("computed");
    return 0;
}

if (reports.Calls == 0 && diskHits == 3)
{
    Console.WriteLine("disk");
    return 0;
}

Console.WriteLine($"unexpected: {reports.Calls} computations, {diskHits} disk hits");
return 1;
