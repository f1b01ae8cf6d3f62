using CachedMethods.Generators.Parsing;

namespace CachedMethods.Generators.Tests;

/// <summary>
/// The result shape fingerprint, part of every key: a change between deploys that would read old bytes into a
/// different value must change it (a miss), and an edit that stores the same bytes must not.
/// </summary>
public sealed class ValueShapeFingerprintTests
{
    private const string Baseline = "public enum Status { Draft = 1, Final = 2 }";

    [Theory]
    [InlineData("public enum Status { Draft = 2, Final = 1 }")] // renumbered: 1 would be read back as Final
    [InlineData("public enum Status { Draft = 1, Final = 3 }")]
    [InlineData("public enum Status { Draft = 1, Done = 2 }")] // renamed
    [InlineData("public enum Status { Draft = 1, Final = 2, Void = 3 }")]
    [InlineData("public enum Status : byte { Draft = 1, Final = 2 }")] // another underlying type
    public void AnEnumChangeIsAnotherFingerprint(string changed) =>
        Assert.NotEqual(Fingerprint(Baseline), Fingerprint(changed));

    [Theory]
    [InlineData("public enum Status { Final = 2, Draft = 1 }")] // declaration order alone stores the same numbers
    [InlineData("public enum Status { Draft = 1, /* the final state */ Final = 1 + 1 }")]
    public void AnEnumEditThatStoresTheSameValuesKeepsTheFingerprint(string same) =>
        Assert.Equal(Fingerprint(Baseline), Fingerprint(same));

    [Fact]
    public void TheFingerprintIsDeterministic() => Assert.Equal(Fingerprint(Baseline), Fingerprint(Baseline));

    /// <summary>The fingerprint of a result record holding the enum, as the generator computes it for the key.</summary>
    private static string Fingerprint(string enumDeclaration)
    {
        var compilation = GeneratorHarness.Compile(enumDeclaration + "\npublic sealed record Result(string Text, Status Status);");
        var result = compilation.GetTypeByMetadataName("Result")!;
        var shape = ValueShapeWalker.Walk(result, compilation.Assembly);
        Assert.Empty(shape.Problems);
        return shape.Fingerprint;
    }
}
