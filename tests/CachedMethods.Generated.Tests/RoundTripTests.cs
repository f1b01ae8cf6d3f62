using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>
/// Each result is stored by one engine and read back from disk by a new engine over the same folder, as a second
/// process would: what comes back is exactly what was stored, or it was never stored (issue 10).
/// </summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly CacheFixture _writer = new();
    private readonly StoredValues _inner = new();

    public void Dispose() => _writer.Dispose();

    [Fact]
    public void ConstructorSetStateComesBackWhole()
    {
        var read = WriteThenReadFromDisk(s => s.GetAccount(1));

        Assert.Equal(("Ada", -42, Grade.High), (read.Name, read.Balance, read.Grade));
    }

    [Fact]
    public void DateTimesKeepTheirKindAndTicksAndOffsetsTheirOffset()
    {
        var read = WriteThenReadFromDisk(s => s.GetMoments(1));
        var stored = StoredValues.Moments;

        Assert.Equal((stored.Local.Ticks, DateTimeKind.Local), (read.Local.Ticks, read.Local.Kind));
        Assert.Equal((stored.Unspecified.Ticks, DateTimeKind.Unspecified), (read.Unspecified.Ticks, read.Unspecified.Kind));
        Assert.Equal((stored.Utc.Ticks, DateTimeKind.Utc), (read.Utc.Ticks, read.Utc.Kind));
        Assert.Equal((stored.Offset.Ticks, TimeSpan.FromHours(5.75)), (read.Offset.Ticks, read.Offset.Offset));
        Assert.Equal(stored.More.Select(m => (m.Ticks, m.Offset)), read.More.Select(m => (m.Ticks, m.Offset)));
    }

    [Fact]
    public void AStringKeepsItsExactUtf16CodeUnitsLoneSurrogatesIncluded()
    {
        var read = WriteThenReadFromDisk(s => s.GetText(1));

        Assert.Equal(StoredValues.Text.ToCharArray(), read.ToCharArray());
        Assert.DoesNotContain('\uFFFD', read);
    }

    [Fact]
    public void WideAndExactNumbersComeBackExactly()
    {
        var read = WriteThenReadFromDisk(s => s.GetNumbers(1));
        var stored = StoredValues.Numbers;

        Assert.Equal(stored, read);
        Assert.Equal(decimal.GetBits(stored.Price), decimal.GetBits(read.Price)); // 12.500, not 12.5
        Assert.Equal("12.500", read.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ADerivedResultIsNeverStoredAsItsBase()
    {
        var first = new CachedStoredValues(_inner, _writer.Manager).GetAnimal(1);
        Assert.Same(StoredValues.Dog, first);
        Assert.Same(first, new CachedStoredValues(_inner, _writer.Manager).GetAnimal(1)); // kept in memory
        Assert.Equal(1, _inner.Calls);
        _writer.Manager.Dispose(); // writes are finished once the engine is disposed
        Assert.Empty(_writer.StorageIdsOnDisk());

        // A second process finds nothing to read back as a bare Animal: it computes, and gets the Dog.
        using var reader = CacheFixture.Create(_writer.DiskPath);
        var second = new CachedStoredValues(_inner, reader).GetAnimal(1);

        Assert.IsType<Dog>(second);
        Assert.Equal(2, _inner.Calls);
    }

    /// <summary>Computes and stores through one engine, then reads through a new one over the same folder.</summary>
    private T WriteThenReadFromDisk<T>(Func<IStoredValues, T> call)
        where T : class
    {
        var stored = call(new CachedStoredValues(_inner, _writer.Manager));
        Assert.Equal(1, _inner.Calls);
        _writer.Manager.Dispose(); // writes are finished once the engine is disposed
        Assert.Single(_writer.StorageIdsOnDisk());

        using var reader = CacheFixture.Create(_writer.DiskPath);
        var read = call(new CachedStoredValues(_inner, reader));

        Assert.Equal(1, _inner.Calls); // served from disk, not computed again
        Assert.Equal(1, reader.GetStats()["disk"]!.Hits);
        Assert.NotSame(stored, read);
        return read;
    }
}
