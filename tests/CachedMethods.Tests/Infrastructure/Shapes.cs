namespace CachedMethods.Tests.Infrastructure;

/// <summary>A result record as a cached method would return it.</summary>
public sealed record OcrPage(string Text, int PageNumber, double Confidence);

/// <summary>Shares member names with <see cref="OcrPage"/> but not their types: it cannot read an OcrPage.</summary>
public sealed record ConflictingPage(int[] Text, string PageNumber);

/// <summary>Shares no member with <see cref="OcrPage"/>.</summary>
public sealed record UnrelatedResult(string Title, double Score);

/// <summary>MessagePack cannot serialize a delegate: a value of this type never reaches a tier.</summary>
public sealed class WithCallback
{
    public int Id { get; set; }

    public Action? Callback { get; set; } = static () => { };
}
