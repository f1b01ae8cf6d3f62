using System.Globalization;

namespace CachedMethods.Tests.Keys;

public class CacheKeyCultureTests
{
    /// <summary>
    /// The key of <see cref="CultureSensitiveKey"/>, computed once under the invariant culture. A change
    /// here is a change of the on-disk and in-Redis key format: every stored entry becomes unreachable.
    /// Change it only together with <see cref="CacheKeyBuilder.FormatVersion"/>.
    /// </summary>
    private const string GoldenKey = "602335e6f8bcda664f35eaeb311224c9cf2605f7d2787d11438e73c1397c71f9";

    private static string CultureSensitiveKey() => CacheKeys.Generate(
        "Invoice-İstanbul-ıi",
        ("title", "FILE title ıİiI Straße"),
        ("ratio", 1234.5),
        ("single", 0.1f),
        ("amount", 1234.50m),
        ("when", new DateTime(2024, 3, 1, 13, 45, 0, DateTimeKind.Utc)),
        ("offset", new DateTimeOffset(2024, 3, 1, 13, 45, 0, TimeSpan.FromHours(3))),
        ("day", new DateOnly(2024, 3, 1)),
        ("time", new TimeOnly(13, 45)),
        ("span", TimeSpan.FromMinutes(90)),
        // Names whose culture-aware order differs from ordinal order under tr-TR.
        ("Item", "I"),
        ("item", "i"),
        ("ıtem", "ı"),
        ("İtem", "İ"),
        ("pages", new[] { 1, 2, 3 }),
        ("weekday", DayOfWeek.Friday),
        ("id", new Guid("6f9619ff-8b86-d011-b42d-00c04fc964ff")),
        ("flag", true),
        ("nothing", null));

    private static T RunUnder<T>(string cultureName, Func<T> action)
    {
        var culture = cultureName.Length == 0 ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(cultureName);
        var (savedCulture, savedUiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = savedCulture;
            CultureInfo.CurrentUICulture = savedUiCulture;
        }
    }

    [Fact]
    public void The_cultures_under_test_really_format_differently()
    {
        // Guards the test below: under invariant globalization both cultures would behave alike.
        Assert.Equal("İ", RunUnder("tr-TR", () => "i".ToUpper()));
        Assert.Equal("1234,5", RunUnder("de-DE", () => 1234.5.ToString()));
        Assert.NotEqual(RunUnder("tr-TR", () => DateTime.UnixEpoch.ToString()), RunUnder("", () => DateTime.UnixEpoch.ToString()));
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    [InlineData("ja-JP")]
    public void Keys_do_not_depend_on_the_current_culture(string culture)
    {
        var invariant = RunUnder("", CultureSensitiveKey);
        Assert.Equal(invariant, RunUnder(culture, CultureSensitiveKey));
    }

    [Fact]
    public void The_key_encoding_matches_its_pinned_value()
    {
        Assert.Equal(GoldenKey, RunUnder("", CultureSensitiveKey));
        Assert.Equal(GoldenKey, RunUnder("tr-TR", CultureSensitiveKey));
    }

    [Fact]
    public void A_raw_string_key_is_culture_independent()
    {
        var invariant = RunUnder("", () => CacheKey.FromString("TITLE-ıi").StorageId);
        Assert.Equal(invariant, RunUnder("tr-TR", () => CacheKey.FromString("TITLE-ıi").StorageId));
        Assert.NotEqual(invariant, CacheKey.FromString("title-ıi").StorageId);
    }
}
