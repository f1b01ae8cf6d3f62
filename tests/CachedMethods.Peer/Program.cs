// Usage: CachedMethods.Peer <redis-url> <key-prefix> <disk-path> get|set|key <key> [value]
// Prints "HIT <value>", "MISS", "SET" or the storage id of a generated key.
using CachedMethods;
using CachedMethods.Redis;
using CachedMethods.TestSupport;

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: CachedMethods.Peer <redis-url> <key-prefix> <disk-path> get|set|key <key> [value]");
    return 2;
}

var options = new CacheOptions { DiskCachePath = args[2] }.UseRedis();
options.Redis.Url = args[0];
options.Redis.KeyPrefix = args[1];
await using var cache = new CacheManager(options);
for (var i = 0; i < 100 && cache.RedisStore is null; i++)
{
    await Task.Delay(50);
}

switch (args[3])
{
    case "set":
        await cache.SetAsync(args[4], new Page(args[5], 1, ["from", "the", "peer"]), TimeSpan.FromMinutes(5));
        Console.WriteLine("SET");
        return 0;
    case "get":
        var found = await cache.GetAsync<Page>(args[4]);
        Console.WriteLine(found.HasValue ? $"HIT {found.Value!.Text}" : "MISS");
        return 0;
    case "key":
        Console.WriteLine(cache.GenerateKey(args[4], ("dpi", 300), ("strategy", "balanced"), ("scale", 1.5)));
        return 0;
    default:
        Console.Error.WriteLine($"unknown operation '{args[3]}'");
        return 2;
}
