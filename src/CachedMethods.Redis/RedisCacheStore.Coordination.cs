using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CachedMethods.Redis.Internal;
using StackExchange.Redis;

namespace CachedMethods.Redis;

// The coordination half of the Redis store: locks for distributed single-flight, the coherence
// channel, and tag-invalidation times. Everything lives under the store's key prefix, so Clear
// removes it too and two caches with different prefixes never see each other.
public sealed partial class RedisCacheStore
{
    // Compare-and-delete and compare-and-extend: a holder whose lock expired and was taken by another
    // process must never release or extend the new holder's lock.
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    // Numbers and publishes in one step: the numbers are gapless, so a receiver can tell that one was lost.
    private const string PublishScript = "local n = redis.call('incr', KEYS[1]) redis.call('publish', ARGV[1], ARGV[2] .. '.' .. n .. ARGV[3]) return n";
    // Keeps the latest invalidation time: an older one arriving late never moves it back.
    private const string TagScript = "local c = redis.call('get', KEYS[1]) if (not c) or tonumber(c) < tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) end return 1";

    /// <summary>How long a tag's invalidation time is kept: entries older than that are past any sensible TTL.</summary>
    public static readonly TimeSpan TagRecordLifetime = TimeSpan.FromDays(30);

    private readonly Lock _subscriptionGate = new();
    private readonly MessageSequence _sequence = new();
    private Action<CoherenceMessage>? _messageReceived;
    private int _subscribed;
    private int _discardNextIncoming;
    private int _failNextPublish;
    private int _discardedMessages;

    /// <inheritdoc/>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    private RedisChannel Channel => RedisChannel.Literal(_keyPrefix + "events");

    /// <inheritdoc/>
    /// <remarks>The first handler subscribes to <c>{prefix}events</c>; StackExchange.Redis resubscribes after a reconnect.</remarks>
    public event Action<CoherenceMessage>? MessageReceived
    {
        add
        {
            lock (_subscriptionGate)
            {
                _messageReceived += value;
            }

            EnsureSubscribed();
        }
        remove
        {
            lock (_subscriptionGate)
            {
                _messageReceived -= value;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<string?> TryAcquireLockAsync(string storageId, TimeSpan expiry, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        return await TryAcquireLockAsync(storageId, token, expiry, cancellationToken) ? token : null;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TryAcquireLockAsync(string storageId, string token, TimeSpan expiry, CancellationToken cancellationToken) =>
        await _database.StringSetAsync(LockKey(storageId), token, Expiry(expiry), When.NotExists).WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<bool> RenewLockAsync(string storageId, string token, TimeSpan expiry)
    {
        var result = await _database.ScriptEvaluateAsync(RenewScript, [LockKey(storageId)], [token, (long)Expiry(expiry).TotalMilliseconds]);
        return (long)result == 1;
    }

    /// <inheritdoc/>
    /// <remarks>Publishes <see cref="CoherenceKind.Released"/> only when the token still owned the lock: a holder that lost it wakes nobody.</remarks>
    public async ValueTask ReleaseLockAsync(string storageId, string token)
    {
        if ((long)await _database.ScriptEvaluateAsync(ReleaseScript, [LockKey(storageId)], [token]) == 1)
        {
            await PublishAsync(new CoherenceMessage(CoherenceKind.Released, storageId));
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> IsLockedAsync(string storageId, CancellationToken cancellationToken) =>
        await _database.KeyExistsAsync(LockKey(storageId)).WaitAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// Numbers the message from <c>{prefix}sequence</c> in the same script as the <c>PUBLISH</c>, so the numbers are
    /// gapless and a receiver can tell a lost message (<see cref="CheckMessagesAsync"/>). The origin field is
    /// <c>{instance}.{number}</c>: a reader that knows no numbers still sees a foreign origin.
    /// </remarks>
    public async ValueTask PublishAsync(CoherenceMessage message)
    {
        EnsureSubscribed();
        if (TakeOne(ref _failNextPublish))
        {
            Interlocked.Increment(ref _discardedMessages);
            throw new RedisConnectionException(ConnectionFailureType.SocketFailure, "Test hook: this publish was discarded.");
        }

        var rest = string.Create(CultureInfo.InvariantCulture, $"|{(int)message.Kind}|{message.At}|{message.Value}");
        try
        {
            // Our own number counts as received now: its copy on the channel carries nothing for us, and one late
            // or lost must not be taken for a lost message from another process.
            _sequence.Received((long)await _database.ScriptEvaluateAsync(PublishScript, [SequenceKey], [(string)Channel!, InstanceId, rest]));
        }
        catch (RedisServerException)
        {
            // Scripts denied (an ACL without EVAL, or INCR): published unnumbered, as before numbering, so coherence
            // still works; a loss of such a message is not detected.
            await _connection.GetSubscriber().PublishAsync(Channel, InstanceId + rest);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A sequence not started at subscription (Redis not there yet, or the count not read) starts here: what was
    /// published before is unknown, so the handlers are told as after a reconnect (they drop what it might have
    /// invalidated), and no loss is reported.
    /// </remarks>
    public async ValueTask<bool> CheckMessagesAsync(CancellationToken cancellationToken)
    {
        var counter = ParseLong(await _database.StringGetAsync(SequenceKey).WaitAsync(cancellationToken));
        if (Volatile.Read(ref _subscribed) == 1 && _sequence.Start(counter))
        {
            Volatile.Read(ref _messageReceived)?.Invoke(new CoherenceMessage(CoherenceKind.Reconnected, ""));
            return false;
        }

        return _sequence.Check(counter);
    }

    /// <summary>Test hook (tests/CachedMethods.FleetWorker): the next message from another process is dropped unseen, as if lost on the way.</summary>
    internal void DiscardNextIncoming() => Interlocked.Increment(ref _discardNextIncoming);

    /// <summary>Test hook: the next publish fails before it reaches Redis, as a lost connection would make it.</summary>
    internal void FailNextPublish() => Interlocked.Increment(ref _failNextPublish);

    /// <summary>How many messages the test hooks have discarded.</summary>
    internal int DiscardedMessages => Volatile.Read(ref _discardedMessages);

    /// <inheritdoc/>
    public async ValueTask SetTagInvalidatedAsync(string tag, DateTimeOffset at, CancellationToken cancellationToken) =>
        await _database.ScriptEvaluateAsync(TagScript, [TagKey(tag)], [at.ToUnixTimeMilliseconds(), (long)TagRecordLifetime.TotalMilliseconds]).WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<DateTimeOffset?> GetTagInvalidatedAsync(string tag, CancellationToken cancellationToken)
    {
        var value = await _database.StringGetAsync(TagKey(tag)).WaitAsync(cancellationToken);
        return value.HasValue && long.TryParse((string?)value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }

    private RedisKey LockKey(string storageId) => Key(storageId).Append(":lock");

    /// <summary>The channel's message counter; a prefix clear leaves it in place.</summary>
    private RedisKey SequenceKey => (RedisKey)(_keyPrefix + "sequence");

    private static bool TakeOne(ref int pending)
    {
        int left;
        do
        {
            left = Volatile.Read(ref pending);
            if (left == 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref pending, left - 1, left) != left);
        return true;
    }

    // Tags are user text: hashed, so that no tag value appears in a key listing.
    private RedisKey TagKey(string tag) => Key("tag:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tag))));

    private void EnsureSubscribed()
    {
        if (Volatile.Read(ref _messageReceived) is null || Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }

        try
        {
            _connection.GetSubscriber().Subscribe(Channel, OnChannelMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Subscribed all the same: StackExchange.Redis registers the handler before it sends SUBSCRIBE, and
            // sends it again when the connection comes back. Subscribing again here would register it twice, and
            // every message would then be handled once per failed attempt. Left unstarted, the first check
            // starts the message count (CheckMessagesAsync).
            RedisLog.SubscribeFailed(_logger, (string?)Channel ?? "", ex);
            return;
        }

        try
        {
            // Every message numbered above the count now reaches this subscription: one lost before the first
            // check is caught too. Unread (Redis failing), the first check reports a loss instead.
            _sequence.Start(ParseLong(_database.StringGet(SequenceKey)));
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            // Left unstarted: the first check starts it and drops what a message missed meanwhile could have left wrong.
        }
    }

    private async ValueTask UnsubscribeAsync()
    {
        if (Interlocked.Exchange(ref _subscribed, 0) == 1)
        {
            try
            {
                await _connection.GetSubscriber().UnsubscribeAsync(Channel, OnChannelMessage);
            }
            catch (RedisException)
            {
                // Closing anyway.
            }
        }
    }

    private void OnReconnected()
    {
        EnsureSubscribed();
        Volatile.Read(ref _messageReceived)?.Invoke(new CoherenceMessage(CoherenceKind.Reconnected, ""));
    }

    private void OnChannelMessage(RedisChannel channel, RedisValue payload)
    {
        var text = (string?)payload;
        var parts = text?.Split('|', 4);
        if (parts is not { Length: 4 }
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kind)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var at))
        {
            RedisLog.MalformedMessage(_logger, (string?)channel ?? "");
            return;
        }

        var origin = parts[0];
        var dot = origin.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && long.TryParse(origin.AsSpan(dot + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            origin = origin[..dot];
            if (origin != InstanceId && TakeOne(ref _discardNextIncoming))
            {
                // Lost on the way: its number is never seen here either.
                Interlocked.Increment(ref _discardedMessages);
                return;
            }

            _sequence.Received(number);
        }

        if (origin == InstanceId)
        {
            return;
        }

        Volatile.Read(ref _messageReceived)?.Invoke(new CoherenceMessage((CoherenceKind)kind, parts[3], at));
    }
}
