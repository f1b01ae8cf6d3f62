using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CachedMethods.Redis.Internal;

/// <summary>
/// Removes every key under a prefix with SCAN and UNLINK, server by server. Never FLUSHDB: the
/// database may hold other caches' and other applications' keys.
/// </summary>
/// <remarks>
/// The keys in <c>keep</c> survive: the clear horizon (a clear moves it, and readers must never find it gone
/// meanwhile) and the channel's message counter (a counter that went back would look like lost messages).
/// </remarks>
internal sealed class RedisPrefixClearer(IConnectionMultiplexer connection, IDatabase database, string keyPrefix, RedisKey[] keep, ILogger logger)
{
    /// <summary>Keys asked for per SCAN page and removed per UNLINK.</summary>
    internal const int BatchSize = 1000;

    private readonly string _pattern = RedisKeyPattern.ForPrefix(keyPrefix);

    public long Clear()
    {
        long removed = 0;
        foreach (var server in ConnectedPrimaries())
        {
            var batch = new List<object>(BatchSize);
            foreach (var key in server.Keys(database.Database, _pattern, BatchSize))
            {
                if (Array.IndexOf(keep, key) >= 0)
                {
                    continue;
                }

                batch.Add(key);
                if (batch.Count == BatchSize)
                {
                    removed += Unlink(server, batch);
                    batch.Clear();
                }
            }

            removed += Unlink(server, batch);
        }

        RedisLog.Cleared(logger, removed, keyPrefix);
        return removed;
    }

    public async ValueTask<long> ClearAsync(CancellationToken cancellationToken)
    {
        long removed = 0;
        foreach (var server in ConnectedPrimaries())
        {
            var batch = new List<object>(BatchSize);
            await foreach (var key in server.KeysAsync(database.Database, _pattern, BatchSize).WithCancellation(cancellationToken))
            {
                if (Array.IndexOf(keep, key) >= 0)
                {
                    continue;
                }

                batch.Add(key);
                if (batch.Count == BatchSize)
                {
                    removed += await UnlinkAsync(server, batch, cancellationToken);
                    batch.Clear();
                }
            }

            removed += await UnlinkAsync(server, batch, cancellationToken);
        }

        RedisLog.Cleared(logger, removed, keyPrefix);
        return removed;
    }

    private List<IServer> ConnectedPrimaries()
    {
        var primaries = new List<IServer>();
        foreach (var server in connection.GetServers())
        {
            if (server.IsReplica)
            {
                continue;
            }

            if (!server.IsConnected)
            {
                RedisLog.ClearSkippedServer(logger, server.EndPoint, keyPrefix);
                continue;
            }

            primaries.Add(server);
        }

        return primaries.Count > 0
            ? primaries
            : throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No Redis primary is connected; nothing was cleared.");
    }

    private long Unlink(IServer server, List<object> keys)
    {
        long removed = 0;
        foreach (var group in SameSlotGroups(server, keys))
        {
            removed += (long)database.Execute(DeleteCommand(server), group, CommandFlags.DemandMaster);
        }

        return removed;
    }

    private async ValueTask<long> UnlinkAsync(IServer server, List<object> keys, CancellationToken cancellationToken)
    {
        long removed = 0;
        foreach (var group in SameSlotGroups(server, keys))
        {
            cancellationToken.ThrowIfCancellationRequested();
            removed += (long)await database.ExecuteAsync(DeleteCommand(server), group, CommandFlags.DemandMaster);
        }

        return removed;
    }

    /// <summary>
    /// A cluster refuses a multi-key command whose keys hash to different slots (CROSSSLOT), so there
    /// the batch is split by slot; a single server takes it whole.
    /// </summary>
    private IEnumerable<ICollection<object>> SameSlotGroups(IServer server, List<object> keys)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        if (server.ServerType != ServerType.Cluster)
        {
            return [keys];
        }

        return keys.GroupBy(key => connection.HashSlot((RedisKey)key)).Select(group => (ICollection<object>)group.ToList());
    }

    // UNLINK frees memory off the main thread; servers older than 4.0 only have DEL.
    private static string DeleteCommand(IServer server) => server.Features.Unlink ? "UNLINK" : "DEL";
}
