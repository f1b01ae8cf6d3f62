namespace CachedMethods.Generators.Tests;

/// <summary>Representative [Cached] services, shared by the snapshot, incremental and compile tests.</summary>
internal static class Sources
{
    public const string InterfaceService = """
        namespace Ocr;

        public sealed record OcrResult(string Text, int Pages);

        public interface ILogSink { void Write(string message); }

        public interface IOcrService
        {
            [Cached(Ttl = 3600)]
            ValueTask<OcrResult> RecognizeAsync(string documentHash, int dpi, [NotCacheKey] ILogSink? log, CancellationToken cancellationToken);

            [Cached(Ttl = 600, KeyParams = [nameof(documentHash)], Version = 2)]
            Task<OcrResult> ReadPageAsync(string documentHash, [NotCacheKey] int attempt);

            [Cached]
            int CountWords(string text, bool ignoreCase);

            string Describe(string documentHash);

            int Retries { get; set; }

            event EventHandler? Recognized;
        }
        """;

    public const string CompositeKeys = """
        namespace Shapes;

        public enum Unit : byte { Pixel, Point }

        public sealed record Size(int Width, int Height, Unit Unit);

        public readonly record struct Margin(double Top, double Bottom);

        public sealed class Layout
        {
            public Size Page { get; init; } = new(0, 0, Unit.Pixel);
            public Margin? Margin { get; init; }
            public IReadOnlyList<string> Fonts { get; init; } = [];
            public int Columns;
        }

        public sealed class Tag : ICacheKeyEncodable
        {
            public string Name { get; init; } = "";
            public void WriteCacheKey(ref CacheKeyBuilder key) => key.Append(Name);
        }

        public interface ILayoutService
        {
            [Cached]
            string Render(
                Layout layout,
                Size[] sizes,
                List<Guid> ids,
                IEnumerable<DateTime> dates,
                int?[] optional,
                Tag tag,
                decimal? price,
                byte[] content,
                ReadOnlyMemory<byte> salt,
                DateOnly day,
                TimeSpan span);
        }
        """;

    public const string PartialClass = """
        namespace Reports;

        public sealed record Report(string Title, IReadOnlyList<string> Lines);

        public static partial class Outer
        {
            public sealed partial class ReportBuilder(CacheManager cache)
            {
                [Cached(Ttl = 60)]
                public partial Report Build(string title, int lines);

                [Cached(Version = 3)]
                public partial Task<int> CountAsync(string title, CancellationToken cancellationToken);

                [Cached]
                internal partial ValueTask<string> TitleAsync(int id);

                private Report BuildCore(string title, int lines) => new(title, []);

                private Task<int> CountCoreAsync(string title, CancellationToken cancellationToken) => Task.FromResult(title.Length);

                private ValueTask<string> TitleCoreAsync(int id) => new(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        public static partial class Checksums
        {
            public static CacheManager? Cache { get; set; }

            [Cached]
            public static partial string Of(byte[] content);

            private static string OfCore(byte[] content) => Convert.ToHexString(content);
        }
        """;

    public const string ImplementationService = """
        namespace Geo;

        public interface IGeocoder
        {
            string Locate(string city);

            int Ping();
        }

        public sealed class Geocoder : IGeocoder
        {
            [Cached(Ttl = 30)]
            public string Locate(string city) => city;

            public int Ping() => 0;
        }
        """;

    public const string NameAndTiers = """
        public interface IRates
        {
            [Cached(Name = "rates.current", Tiers = CacheTiers.Memory | CacheTiers.Redis)]
            decimal Current(string currency);

            [Cached(Tiers = CacheTiers.Persistent)]
            decimal Historical(string currency, DateOnly day);
        }
        """;

    public const string FleetOptions = """
        namespace Fleet;

        public sealed record Quote(string Symbol, decimal Price);

        public interface IQuotes
        {
            [Cached(Ttl = 60, Tags = ["quotes", "market:\"eu\""], DistributedSingleFlight = true, FailSafeSeconds = 600, SoftTimeoutMs = 250, HardTimeoutMs = 5000, RefreshAhead = 0.8)]
            Task<Quote> GetAsync(string symbol, CancellationToken cancellationToken);

            [Cached(Tags = ["quotes"], DistributedSingleFlight = false)]
            Quote Last(string symbol);

            [Cached(RefreshAhead = 0.25)]
            int Count(int value);

            [Cached]
            int Count(long value);
        }

        internal sealed partial class QuoteFeed(CacheManager cache)
        {
            [Cached(FailSafeSeconds = 30, HardTimeoutMs = 100)]
            private partial ValueTask<Quote> FetchAsync(string symbol, string cancellationToken);

            [Cached]
            internal static partial string Normalize(string symbol);

            public static CacheManager Shared { get; set; } = null!;

            private ValueTask<Quote> FetchCoreAsync(string symbol, string cancellationToken) => new(new Quote(symbol, 1m));

            private static string NormalizeCore(string symbol) => symbol.ToUpperInvariant();

            internal CacheManager Cache => cache;
        }
        """;
}
