using CachedMethods.Tests.Infrastructure;
using CachedMethods.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Engine;

/// <summary>
/// A value that cannot be serialized is still cached in memory, sized by an estimate, and said so once per type in
/// the log: never a silent "cached nowhere" (issue 10).
/// </summary>
public sealed class UnserializableValueTests : IDisposable
{
    /// <summary>The event id of Log.NotSerializable.</summary>
    private const int NotSerializableEvent = 6;

    private readonly TempFolder _folder = new("unserializable");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();
    private readonly LogCollector _log = new();

    public void Dispose() => _folder.Dispose();

#pragma warning disable CM0041 // These values have no formatter on purpose.
    [Fact]
    public async Task It_is_cached_in_memory_with_its_size_estimated_and_one_line_per_type_says_so()
    {
        using var cache = new CacheManager(TestOptions.Create(_time, _folder.Path), _log);
        var calls = 0;

        // Two values of one type, under two keys, through both forms.
        var first = await cache.GetOrCreateAsync("a", _ => new ValueTask<WithCallback>(new WithCallback { Id = ++calls }));
        var second = cache.GetOrCreate("b", () => new WithCallback { Id = ++calls });

        var line = Assert.Single(NotSerializableLines());
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains(typeof(WithCallback).FullName!, line.Message, StringComparison.Ordinal);
        Assert.NotNull(line.Exception);

        // Cached: the same instances come back from memory, and the factories do not run again.
        Assert.Same(first, await cache.GetOrCreateAsync("a", _ => new ValueTask<WithCallback>(new WithCallback { Id = ++calls })));
        Assert.Same(second, cache.GetOrCreate("b", () => new WithCallback { Id = ++calls }));
        Assert.Equal(2, calls);
        Assert.Equal(2, cache.MemoryStore!.Count);
        Assert.True(cache.MemoryStore.SizeBytes >= 2 * 1024, $"each entry counts at least the 1 KiB estimate; {cache.MemoryStore.SizeBytes} bytes counted");

        // Memory only: nothing reached the disk tier.
        Assert.Equal(0, cache.PersistentStore!.GetUsage().Entries);
        Assert.Single(NotSerializableLines());

        // A second type that cannot be serialized (no formatter at all) is a second line, and only one.
        cache.GetOrCreate("c", () => new Unregistered("x"));
        await cache.GetOrCreateAsync("d", _ => new ValueTask<Unregistered>(new Unregistered("y")));

        var lines = NotSerializableLines();
        Assert.Equal(2, lines.Count);
        Assert.Contains(typeof(Unregistered).FullName!, lines[1].Message, StringComparison.Ordinal);
        Assert.Equal(4, cache.MemoryStore.Count);
        Assert.True(cache.MemoryStore.SizeBytes >= 4 * 1024, $"{cache.MemoryStore.SizeBytes} bytes counted for four estimated entries");
        Assert.Equal(0, cache.PersistentStore.GetUsage().Entries);
    }

    [Fact]
    public void A_value_that_serializes_is_not_logged()
    {
        using var cache = new CacheManager(TestOptions.Create(_time, _folder.Path), _log);

        cache.GetOrCreate("a", () => new OcrPage("text", 1, 0.5));

        Assert.Empty(NotSerializableLines());
        Assert.Equal(1, cache.PersistentStore!.GetUsage().Entries);
    }
#pragma warning restore CM0041

    private List<LogLine> NotSerializableLines() => _log.Lines.Where(l => l.EventId == NotSerializableEvent).ToList();

    /// <summary>No [CacheSerializable] names it, so no formatter exists for it.</summary>
    public sealed record Unregistered(string Name);
}
