namespace CachedMethods.Tests.Keys;

public class CacheKeyDeterminismTests
{
    private const string Document = "3f1c9a07e2b84d55";

    private static string Key(params (string Name, object? Value)[] parameters) => CacheKeys.Generate(Document, parameters);

    private static void AssertAllDistinct(params string[] keys) =>
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void Equal_inputs_give_equal_keys_and_equal_canonical_bytes()
    {
        var first = CacheKeys.Create(Document, ("page", 3), ("language", "deu"), ("dpi", 300.0), ("raw", new byte[] { 1, 2, 3 }));
        var second = CacheKeys.Create(Document, ("page", 3), ("language", "deu"), ("dpi", 300.0), ("raw", new byte[] { 1, 2, 3 }));

        Assert.Equal(first.Canonical, second.Canonical);
        Assert.Equal(first.StorageId, second.StorageId);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_document_hash_is_part_of_the_key()
    {
        Assert.NotEqual(CacheKeys.Generate("doc-a", ("page", 1)), CacheKeys.Generate("doc-b", ("page", 1)));
    }

    [Fact]
    public void Moving_a_boundary_between_strings_changes_the_key()
    {
        AssertAllDistinct(
            Key(("x", "ab"), ("y", "c")),
            Key(("x", "a"), ("y", "bc")));
        AssertAllDistinct(
            Key(("words", new[] { "ab", "c" })),
            Key(("words", new[] { "a", "bc" })),
            Key(("words", new[] { "abc" })));
        AssertAllDistinct(
            Key(("nested", new[] { new[] { 1 }, new[] { 2, 3 } })),
            Key(("nested", new[] { new[] { 1, 2 }, new[] { 3 } })));
    }

    [Fact]
    public void Equal_numbers_of_different_types_give_different_keys()
    {
        AssertAllDistinct(
            Key(("v", 1)),
            Key(("v", 1L)),
            Key(("v", "1")),
            Key(("v", (short)1)),
            Key(("v", (byte)1)),
            Key(("v", 1u)),
            Key(("v", 1UL)),
            Key(("v", 1.0)),
            Key(("v", 1.0f)),
            Key(("v", 1m)),
            Key(("v", '1')),
            Key(("v", true)),
            Key(("v", (Int128)1)),
            Key(("v", (Half)1)));
    }

    [Fact]
    public void Null_empty_string_and_empty_bytes_give_different_keys()
    {
        AssertAllDistinct(
            Key(("v", null)),
            Key(("v", "")),
            Key(("v", Array.Empty<byte>())),
            Key(("v", Array.Empty<int>())),
            Key());
    }

    [Fact]
    public void Date_time_kinds_give_different_keys()
    {
        var utc = new DateTime(2024, 3, 1, 13, 45, 0, DateTimeKind.Utc);
        var local = DateTime.SpecifyKind(utc, DateTimeKind.Local);
        var unspecified = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

        Assert.Equal(utc.Ticks, local.Ticks);
        AssertAllDistinct(Key(("at", utc)), Key(("at", local)), Key(("at", unspecified)));
        Assert.Equal(Key(("at", utc)), Key(("at", new DateTime(utc.Ticks, DateTimeKind.Utc))));
    }

    [Fact]
    public void Negative_zero_and_zero_give_different_keys()
    {
        AssertAllDistinct(Key(("v", 0.0)), Key(("v", -0.0)));
        AssertAllDistinct(Key(("v", 0.0f)), Key(("v", -0.0f)));
        Assert.Equal(Key(("v", double.NaN)), Key(("v", double.NaN)));
    }

    [Fact]
    public void Decimal_scale_is_part_of_the_key()
    {
        AssertAllDistinct(Key(("amount", 1.0m)), Key(("amount", 1.00m)), Key(("amount", 1m)));
        Assert.Equal(Key(("amount", 12.50m)), Key(("amount", decimal.Parse("12.50", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Byte_arrays_are_keyed_by_content()
    {
        Assert.Equal(Key(("raw", new byte[] { 1, 2, 3 })), Key(("raw", new byte[] { 1, 2, 3 })));
        AssertAllDistinct(Key(("raw", new byte[] { 1, 2, 3 })), Key(("raw", new byte[] { 1, 2, 4 })), Key(("raw", new byte[] { 1, 2 })));
        // A byte[] and a ReadOnlyMemory<byte> are both "bytes": the same content is the same key.
        Assert.Equal(Key(("raw", new byte[] { 1, 2, 3 })), Key(("raw", new ReadOnlyMemory<byte>([1, 2, 3]))));
    }

    [Fact]
    public void Long_strings_are_hashed_yet_stay_distinct()
    {
        var text = new string('a', 10_000);
        var changedAtEnd = text[..^1] + "b";
        var longer = text + "a";

        var key = CacheKeys.Create(Document, ("text", text));

        Assert.True(key.Canonical.Length < 200, $"The canonical key of a 10,000-character string is {key.Canonical.Length} bytes: it was not hashed.");
        Assert.Equal(key.StorageId, Key(("text", new string('a', 10_000))));
        AssertAllDistinct(Key(("text", text)), Key(("text", changedAtEnd)), Key(("text", longer)));
    }

    [Fact]
    public void Strings_at_and_just_over_the_inline_limit_are_distinct()
    {
        // A string value is its UTF-16 code units: InlineLimit bytes are InlineLimit / 2 characters.
        var atLimit = new string('x', CacheKeyBuilder.InlineLimit / 2);
        var overLimit = new string('x', (CacheKeyBuilder.InlineLimit / 2) + 1);

        AssertAllDistinct(Key(("t", atLimit)), Key(("t", overLimit)), Key(("t", atLimit[..^1])));
        Assert.True(CacheKeys.Create(Document, ("t", atLimit)).Canonical.Length > CacheKeyBuilder.InlineLimit);
        Assert.True(CacheKeys.Create(Document, ("t", overLimit)).Canonical.Length < CacheKeyBuilder.InlineLimit);
    }

    [Fact]
    public void Long_byte_runs_are_hashed_yet_stay_distinct()
    {
        var bytes = new byte[1_000_000];
        new Random(7).NextBytes(bytes);
        var changed = (byte[])bytes.Clone();
        changed[^1] ^= 1;

        Assert.True(CacheKeys.Create(Document, ("image", bytes)).Canonical.Length < 200);
        Assert.Equal(Key(("image", bytes)), Key(("image", (byte[])bytes.Clone())));
        AssertAllDistinct(Key(("image", bytes)), Key(("image", changed)), Key(("image", bytes[..^1])));
    }

    [Fact]
    public void A_hashed_string_and_hashed_bytes_of_the_same_content_differ()
    {
        var text = new string('q', 1000);
        Assert.NotEqual(Key(("v", text)), Key(("v", System.Text.Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void Named_parameters_are_order_insensitive()
    {
        var expected = Key(("page", 2), ("lang", "en"), ("dpi", 300));

        Assert.Equal(expected, Key(("lang", "en"), ("page", 2), ("dpi", 300)));
        Assert.Equal(expected, Key(("dpi", 300), ("lang", "en"), ("page", 2)));
        Assert.Equal(expected, Key(("dpi", 300), ("page", 2), ("lang", "en")));
    }

    [Fact]
    public void Parameter_names_are_part_of_the_key()
    {
        AssertAllDistinct(Key(("a", 1)), Key(("b", 1)), Key(("a", 1), ("b", 1)));
        AssertAllDistinct(Key(("ab", "c")), Key(("a", "bc")));
    }

    [Fact]
    public void A_repeated_parameter_name_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Key(("page", 1), ("lang", "en"), ("page", 2)));
        Assert.Contains("'page'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_without_a_deterministic_encoding_is_rejected_naming_the_parameter()
    {
        var error = Assert.Throws<ArgumentException>(() => Key(("page", 1), ("options", new object())));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("'options'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_is_rejected_naming_the_parameter()
    {
        using var stream = new MemoryStream([1, 2, 3]);
        var error = Assert.Throws<ArgumentException>(() => Key(("upload", stream)));
        Assert.Equal("upload", error.ParamName);
        Assert.Contains("System.IO.MemoryStream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unkeyable_element_inside_a_sequence_is_rejected_naming_the_parameter()
    {
        var error = Assert.Throws<ArgumentException>(() => Key(("items", new object?[] { 1, "two", new object() })));
        Assert.Equal("items", error.ParamName);
    }

    [Fact]
    public void Enum_values_of_different_enum_types_give_different_keys()
    {
        // KeyTag.Enum is documented as "its type name, then its underlying value"; both values are 1.
        Assert.Equal(1, (int)DayOfWeek.Monday);
        Assert.Equal(1, (int)FileAccess.Read);

        AssertAllDistinct(Key(("mode", DayOfWeek.Monday)), Key(("mode", FileAccess.Read)), Key(("mode", 1)));
    }

    [Fact]
    public void Equal_enum_values_give_equal_keys()
    {
        Assert.Equal(Key(("day", DayOfWeek.Friday)), Key(("day", DayOfWeek.Friday)));
        AssertAllDistinct(Key(("day", DayOfWeek.Friday)), Key(("day", DayOfWeek.Saturday)));
    }

    [Fact]
    public void GenerateKey_is_64_lowercase_hex_characters_without_the_raw_value()
    {
        var time = Infrastructure.TestOptions.NewClock();
        using var cache = new CacheManager(Infrastructure.TestOptions.Create(time));

        var key = cache.GenerateKey("invoice.pdf", ("file", "invoice.pdf"), ("user", "alice@example.com"));

        Assert.Equal(64, key.Length);
        Assert.True(DiskCacheStore.IsValidStorageId(key));
        Assert.DoesNotContain("invoice", key, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alice", key, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(CacheKeys.Generate("invoice.pdf", ("user", "alice@example.com"), ("file", "invoice.pdf")), key);
    }

    [Fact]
    public void The_storage_id_is_the_hex_sha256_of_the_canonical_bytes()
    {
        var key = CacheKeys.Create(Document, ("page", 1));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(key.Canonical)), key.StorageId);
        Assert.Equal(key.StorageId, key.ToString());
    }

    [Fact]
    public void A_raw_string_key_differs_from_a_generated_key()
    {
        Assert.NotEqual(CacheKey.FromString(Document).StorageId, CacheKeys.Generate(Document));
        Assert.Equal(CacheKey.FromString("k"), CacheKey.FromString("k"));
        Assert.NotEqual(CacheKey.FromString("k"), CacheKey.FromString("K"));
    }
}
