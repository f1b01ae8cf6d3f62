using CsCheck;

namespace CachedMethods.Tests.Keys;

/// <summary>
/// Properties of the key encoding over random inputs (CsCheck, with shrinking to the smallest failing
/// case): different strings, sets and dictionaries never share a key, and the same set or dictionary
/// has one key whatever its order.
/// </summary>
public sealed class KeyPropertyTests
{
    /// <summary>Characters around the surrogate range, where UTF-8 encoding used to lose information.</summary>
    private static readonly Gen<string> Text =
        Gen.OneOf(Gen.Char['\uD7F0', '\uE010'], Gen.Char['a', 'd'], Gen.Const('\uFFFD'))
            .Array[0, 6]
            .Select(chars => new string(chars));

    private static byte[] Key(object? value) => CacheKeys.Create("doc", ("p", value)).Canonical;

    [Fact]
    public void DifferentStringsNeverShareAKey() =>
        Gen.Select(Text, Text).Sample((a, b) =>
            Assert.Equal(string.Equals(a, b, StringComparison.Ordinal), Key(a).AsSpan().SequenceEqual(Key(b))));

    [Fact]
    public void TheSameStringAlwaysHasTheSameKey() =>
        Text.Sample(a => Assert.Equal(Key(a), Key(new string(a.AsSpan()))));

    [Fact]
    public void ADictionaryHasOneKeyWhateverItsInsertionOrder() =>
        Gen.Select(Gen.Select(Text, Gen.Int[-3, 3]).List[0, 8], Gen.Int).Sample((entries, seed) =>
        {
            var first = Build(entries);
            var shuffled = first.Select(e => (e.Key, e.Value)).ToArray();
            new Random(seed).Shuffle(shuffled);
            var second = Build(shuffled);
            Assert.Equal(Key(first), Key(second));
        });

    [Fact]
    public void DifferentDictionariesNeverShareAKey() =>
        Gen.Select(Gen.Select(Text, Gen.Int[-3, 3]).List[0, 5], Gen.Select(Text, Gen.Int[-3, 3]).List[0, 5]).Sample((a, b) =>
        {
            var left = Build(a);
            var right = Build(b);
            var equal = left.Count == right.Count && left.All(e => right.TryGetValue(e.Key, out var v) && v == e.Value);
            Assert.Equal(equal, Key(left).AsSpan().SequenceEqual(Key(right)));
        });

    [Fact]
    public void SetsAreKeyedByTheirElementsAlone() =>
        Gen.Select(Text.List[0, 6], Text.List[0, 6], Gen.Int).Sample((a, b, seed) =>
        {
            var left = new HashSet<string>(a, StringComparer.Ordinal);
            var reordered = a.ToArray();
            new Random(seed).Shuffle(reordered);
            var right = new HashSet<string>(b, StringComparer.Ordinal);

            Assert.Equal(Key(left), Key(new HashSet<string>(reordered, StringComparer.Ordinal)));
            Assert.Equal(left.SetEquals(right), Key(left).AsSpan().SequenceEqual(Key(right)));
        });

    [Fact]
    public void A_set_of_strings_is_not_confused_with_their_concatenations()
    {
        // The elements are sorted and written back to back; each is length-prefixed, so no regrouping collides.
        Assert.NotEqual(Key(new HashSet<string> { "ab", "c" }), Key(new HashSet<string> { "a", "bc" }));
        Assert.NotEqual(Key(new HashSet<string> { "a" }), Key(new List<string> { "a" }));
    }

    private static Dictionary<string, int> Build(IEnumerable<(string Key, int Value)> entries)
    {
        var dictionary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            dictionary.TryAdd(key, value);
        }

        return dictionary;
    }
}
