// A first look at the engine: an expensive computation per "document", run twice.
// With no server configured it uses the embedded default: memory plus disk under ./cache.
// REDIS_URL adds Redis; S3_CACHE_BUCKET (and S3_CACHE_SERVICE_URL) switch the persistent tier to S3.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CachedMethods;
using CachedMethods.Redis;
using CachedMethods.S3;

var options = CacheOptions.FromEnvironment().UseRedis().UseS3();
await using var cache = new CacheManager(options);
if (args.Contains("--clear"))
{
    Console.WriteLine($"cleared {await cache.ClearAsync()} entries");
}

var documents = Enumerable.Range(1, 6).Select(i => $"document-{i}").ToArray();
var fromEarlierRun = 0;
for (var pass = 1; pass <= 2; pass++)
{
    var clock = Stopwatch.StartNew();
    var computed = 0;
    foreach (var document in documents)
    {
        var key = cache.GenerateKey(document, ("dpi", 300), ("strategy", "balanced"));
        var summary = await cache.GetOrCreateAsync(key, async ct =>
        {
            computed++;
            return await Task.Run(() => Analyze(document), ct);
        });
        Console.Write($"\rpass {pass}: {document} -> {summary.Words} words   ");
    }

    if (pass == 1)
    {
        fromEarlierRun = documents.Length - computed;
    }

    Console.WriteLine($"\rpass {pass}: {documents.Length} documents in {clock.Elapsed.TotalMilliseconds:F0} ms, {computed} computed          ");
}

Console.WriteLine(fromEarlierRun > 0
    ? $"{fromEarlierRun} of {documents.Length} results came from an earlier run (served from {cache.PersistentTier?.Name ?? "a lower tier"})."
    : "First run: every result was computed. Run the command again to see them served from disk.");
Console.WriteLine();
Console.WriteLine(cache.GetStats());

// Deliberately expensive and deterministic: a hash chain over a synthetic page.
static PageSummary Analyze(string document)
{
    var page = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(document + " lorem ipsum dolor ", 2_000)));
    var digest = page;
    for (var i = 0; i < 150_000; i++)
    {
        digest = SHA256.HashData(digest);
    }

    return new PageSummary(document, page.Length / 6, Convert.ToHexString(digest)[..16]);
}

public sealed record PageSummary(string Document, int Words, string Fingerprint);
