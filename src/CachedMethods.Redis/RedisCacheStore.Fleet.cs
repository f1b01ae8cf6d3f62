using System.Globalization;
using StackExchange.Redis;

namespace CachedMethods.Redis;

// The fleet-correctness half of the Redis store (issue 9): one clock (Redis TIME), per-key removal
// records, the clear horizon, and the commit script that checks them and the lock in one round trip.
// A key's value, lock and removal record share its hash slot ({storageId} is the hash tag), so every
// script here runs on one node of a Cluster.
public sealed partial class RedisCacheStore : ICacheFleetStore
{
    // Fencing first (a writer that lost its lock writes nothing), then the removal record: a computation
    // that started at or before the key's last removal overlapped it and is not the key's value. A promotion
    // (ARGV[5] = 1) only fills an empty key, or finds the same frame there (the same checksum, its last 8
    // bytes): the copy it carries may be older than the value there. Any other write is refused when the frame held was created later (bytes 5-12, little-endian unix milliseconds, in
    // the same frame format): a computation that started before a set, or before another computation that
    // stored first, does not replace it. The newest start wins.
    private const string CommitScript = """
        if ARGV[4] ~= '' and redis.call('get', KEYS[3]) ~= ARGV[4] then return 3 end
        local started = tonumber(ARGV[3])
        if started > 0 then
          local removed = redis.call('get', KEYS[2])
          if removed and tonumber(removed) >= started then return 2 end
        end
        local held = redis.call('getrange', KEYS[1], 0, 11)
        if ARGV[5] == '1' then
          if held ~= '' then
            if redis.call('getrange', KEYS[1], -8, -1) == string.sub(ARGV[1], -8) then return 1 end
            return 4
          end
        elseif string.len(held) == 12 and string.len(ARGV[1]) >= 12 and string.sub(held, 1, 3) == string.sub(ARGV[1], 1, 3) then
          local function created(frame)
            local t = 0
            for i = 12, 5, -1 do t = t * 256 + string.byte(frame, i) end
            return t
          end
          if created(held) > created(ARGV[1]) then return 2 end
        end
        redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    // The record outlives every copy it could shadow: at least the given lifetime, the Redis copy's own
    // remaining TTL, and an earlier record's remaining life.
    private const string RemoveScript = """
        local t = redis.call('time')
        local now = t[1] * 1000 + math.floor(t[2] / 1000)
        local life = tonumber(ARGV[1])
        local left = redis.call('pttl', KEYS[1])
        if left > life then life = left end
        left = redis.call('pttl', KEYS[2])
        if left > life then life = left end
        local held = redis.call('del', KEYS[1])
        redis.call('set', KEYS[2], now, 'PX', life)
        return held
        """;

    // A missing horizon means the records were lost (a Redis restarted without its data, or a first use):
    // nothing written before this server started can be trusted, since its removals may be gone.
    private const string HorizonScript = """
        local h = redis.call('get', KEYS[1])
        if h then return tonumber(h) end
        local t = redis.call('time')
        local up = tonumber(string.match(redis.call('info', 'server'), 'uptime_in_seconds:(%d+)')) or 0
        redis.call('set', KEYS[1], t[1] * 1000 + math.floor(t[2] / 1000) - up * 1000, 'NX')
        return tonumber(redis.call('get', KEYS[1]))
        """;

    private const string AdvanceHorizonScript = """
        local t = redis.call('time')
        local now = t[1] * 1000 + math.floor(t[2] / 1000)
        local h = redis.call('get', KEYS[1])
        if h and tonumber(h) >= now then return tonumber(h) end
        redis.call('set', KEYS[1], now)
        return now
        """;

    /// <summary>The key that holds the horizon; a prefix clear leaves it in place.</summary>
    internal RedisKey HorizonKey => (RedisKey)(_keyPrefix + "horizon");

    /// <summary>The Redis key of <paramref name="storageId"/>'s value: the prefix, then the id as the hash tag.</summary>
    /// <param name="storageId">The entry's storage id.</param>
    /// <returns>The key, for inspection tools and tests.</returns>
    public string GetRedisKey(string storageId) => (string)Key(storageId)!;

    /// <inheritdoc/>
    public async ValueTask<long> GetTimeAsync(CancellationToken cancellationToken) =>
        ParseTime(await _database.ExecuteAsync("TIME").WaitAsync(cancellationToken));

    /// <inheritdoc/>
    public long GetTime() => ParseTime(_database.Execute("TIME"));

    /// <inheritdoc/>
    public async ValueTask<CommitOutcome> CommitAsync(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, long startedAt, string? lockToken, bool onlyIfAbsent, CancellationToken cancellationToken) =>
        (CommitOutcome)(long)await _database.ScriptEvaluateAsync(CommitScript, CommitKeys(storageId), CommitArgs(envelope, timeToLive, startedAt, lockToken, onlyIfAbsent)).WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public CommitOutcome Commit(string storageId, ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, long startedAt, string? lockToken, bool onlyIfAbsent) =>
        (CommitOutcome)(long)_database.ScriptEvaluate(CommitScript, CommitKeys(storageId), CommitArgs(envelope, timeToLive, startedAt, lockToken, onlyIfAbsent));

    /// <inheritdoc/>
    public async ValueTask<bool> RemoveAsync(string storageId, TimeSpan recordLifetime, CancellationToken cancellationToken) =>
        (long)await _database.ScriptEvaluateAsync(RemoveScript, [Key(storageId), RemovalKey(storageId)], [(long)Expiry(recordLifetime).TotalMilliseconds]).WaitAsync(cancellationToken) > 0;

    /// <inheritdoc/>
    public bool Remove(string storageId, TimeSpan recordLifetime) =>
        (long)_database.ScriptEvaluate(RemoveScript, [Key(storageId), RemovalKey(storageId)], [(long)Expiry(recordLifetime).TotalMilliseconds]) > 0;

    /// <inheritdoc/>
    public async ValueTask<long> GetRemovedAtAsync(string storageId, CancellationToken cancellationToken)
    {
        // Two keys in two slots: two commands, sent together.
        var removed = _database.StringGetAsync(RemovalKey(storageId));
        var horizon = GetHorizonAsync(cancellationToken);
        return Math.Max(ParseLong(await removed.WaitAsync(cancellationToken)), await horizon);
    }

    /// <inheritdoc/>
    public long GetRemovedAt(string storageId) =>
        Math.Max(ParseLong(_database.StringGet(RemovalKey(storageId))), (long)_database.ScriptEvaluate(HorizonScript, [HorizonKey]));

    /// <inheritdoc/>
    public async ValueTask<long> GetHorizonAsync(CancellationToken cancellationToken) =>
        (long)await _database.ScriptEvaluateAsync(HorizonScript, [HorizonKey]).WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public long GetHorizon() => (long)_database.ScriptEvaluate(HorizonScript, [HorizonKey]);

    /// <inheritdoc/>
    public async ValueTask<long> AdvanceHorizonAsync(CancellationToken cancellationToken) =>
        (long)await _database.ScriptEvaluateAsync(AdvanceHorizonScript, [HorizonKey]).WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public long AdvanceHorizon() => (long)_database.ScriptEvaluate(AdvanceHorizonScript, [HorizonKey]);

    private RedisKey RemovalKey(string storageId) => Key(storageId).Append(":rm");

    private RedisKey[] CommitKeys(string storageId) => [Key(storageId), RemovalKey(storageId), LockKey(storageId)];

    private static RedisValue[] CommitArgs(ReadOnlyMemory<byte> envelope, TimeSpan timeToLive, long startedAt, string? lockToken, bool onlyIfAbsent) =>
        [envelope, (long)Expiry(timeToLive).TotalMilliseconds, startedAt, lockToken ?? "", onlyIfAbsent ? 1 : 0];

    private static long ParseLong(RedisValue value) =>
        value.HasValue && long.TryParse((string?)value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;

    private static long ParseTime(RedisResult result)
    {
        var parts = (RedisValue[])result!;
        return checked((long)parts[0] * 1000 + (long)parts[1] / 1000);
    }
}
