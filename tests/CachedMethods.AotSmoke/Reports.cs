namespace CachedMethods.AotSmoke;

public enum Status : byte
{
    Draft = 1,
    Final = 7,
}

/// <summary>One of each kind the generated formatters must round-trip exactly under NativeAOT.</summary>
public sealed class Report
{
    public Report(string title, DateTime printedAt)
    {
        Title = title;
        PrintedAt = printedAt;
    }

    /// <summary>A lone high surrogate: text cut in the middle of an emoji.</summary>
    public static Report Expected { get; } = new("cut \uD83D", new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Local))
    {
        Status = Status.Final,
        Total = 12.50m,
        Lines = [new Line("a", 1.5), new Line("b", -0.25)],
        Counts = new Dictionary<string, int> { ["x"] = 1, ["y"] = 2 },
        Offset = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(5.5)),
        Big = Int128.MaxValue,
    };

    public string Title { get; }

    public DateTime PrintedAt { get; }

    public Status Status { get; init; }

    public decimal Total { get; init; }

    public IReadOnlyList<Line> Lines { get; init; } = [];

    public IReadOnlyDictionary<string, int> Counts { get; init; } = new Dictionary<string, int>();

    public DateTimeOffset Offset { get; init; }

    public Int128 Big { get; init; }

    public bool SameAs(Report other) =>
        Title == other.Title && PrintedAt == other.PrintedAt && PrintedAt.Kind == other.PrintedAt.Kind && Status == other.Status
        && Total == other.Total && decimal.GetBits(Total).SequenceEqual(decimal.GetBits(other.Total)) && Lines.SequenceEqual(other.Lines)
        && Counts.OrderBy(c => c.Key).SequenceEqual(other.Counts.OrderBy(c => c.Key))
        && Offset == other.Offset && Offset.Offset == other.Offset.Offset && Big == other.Big;
}

public sealed record Line(string Text, double Score);

public sealed record Quote(string Symbol, decimal Price)
{
    public static Quote Expected { get; } = new("MSFT", 420.10m);
}

/// <summary>The [Cached] surface: the generator writes BuildAsync's body and the formatters of Report.</summary>
public sealed partial class Reports(CacheManager cache)
{
    /// <summary>How many times the value was computed: never part of the result.</summary>
    [NotCacheKey]
    public int Calls { get; private set; }

    [Cached]
    public partial Task<Report> BuildAsync(string documentId);

    private Task<Report> BuildCoreAsync(string documentId)
    {
        Calls++;
        return Task.FromResult(Report.Expected);
    }
}
