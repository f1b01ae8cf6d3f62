using CachedMethods.Tests.Infrastructure;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Engine;

/// <summary>
/// The documented opt-in <see cref="MessagePackCacheSerializer.WithDynamicResolver"/> (docs/serialization.md): a type
/// the generator never saw round-trips through the disk tier with it, read back by a second engine over the same
/// folder, as a new process would; without it the value stays in memory and one warning names the type (issue 10).
/// </summary>
public sealed class DynamicResolverOptInTests : IDisposable
{
    /// <summary>The event id of Log.NotSerializable.</summary>
    private const int NotSerializableEvent = 6;

    private readonly TempFolder _folder = new("dynamic-resolver");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();
    private readonly LogCollector _log = new();

    public void Dispose() => _folder.Dispose();

    private CacheManager NewCache(bool dynamicResolver) => new(
        TestOptions.Create(_time, _folder.Path, o => o.Serializer = dynamicResolver ? MessagePackCacheSerializer.WithDynamicResolver() : null),
        _log);

#pragma warning disable CM0041 // Unseen has no generated formatter: that is what these tests are about.
    [Fact]
    public async Task With_the_opt_in_a_type_without_a_generated_formatter_round_trips_through_disk()
    {
        var written = new Unseen("INV-7", 3, ["total", "12.40"]);
        using (var writer = NewCache(dynamicResolver: true))
        {
            await writer.SetAsync("invoice", written);
            Assert.Equal(1, writer.PersistentStore!.GetUsage().Entries);
        }

        // A second engine over the same folder has an empty memory tier: the value can only come from disk.
        using var reader = NewCache(dynamicResolver: true);
        var calls = 0;
        var read = await reader.GetOrCreateAsync("invoice", _ => new ValueTask<Unseen>(new Unseen("computed", ++calls, [])));

        Assert.Equal(0, calls);
        Assert.NotSame(written, read);
        Assert.Equal((written.Number, written.Lines), (read.Number, read.Lines));
        Assert.Equal(written.Words, read.Words);
        Assert.Empty(_log.At(LogLevel.Warning));
    }

    [Fact]
    public async Task Without_the_opt_in_it_is_kept_in_memory_only_and_one_warning_names_the_type()
    {
        using (var writer = NewCache(dynamicResolver: false))
        {
            var value = await writer.GetOrCreateAsync("invoice", _ => new ValueTask<Unseen>(new Unseen("INV-7", 3, ["total"])));
            Assert.Equal("INV-7", value.Number);
            Assert.Equal(0, writer.PersistentStore!.GetUsage().Entries);
            await Assert.ThrowsAsync<CacheSerializationException>(async () => await writer.SetAsync("other", value));
        }

        var line = Assert.Single(_log.Lines, l => l.EventId == NotSerializableEvent);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains(typeof(Unseen).FullName!, line.Message, StringComparison.Ordinal);

        // Nothing reached the disk, so a new engine computes again.
        using var reader = NewCache(dynamicResolver: false);
        Assert.False((await reader.GetAsync<Unseen>("invoice")).HasValue);
    }
#pragma warning restore CM0041

    /// <summary>No [Cached] method returns it and no [CacheSerializable] names it: the generator writes no formatter.</summary>
    public sealed record Unseen(string Number, int Lines, List<string> Words);
}
