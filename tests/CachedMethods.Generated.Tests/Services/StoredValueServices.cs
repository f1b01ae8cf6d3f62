namespace CachedMethods.Generated.Tests.Services;

public enum Grade : byte
{
    Low = 3,
    High = 9,
}

/// <summary>Get-only state set through the constructor: a private setter and a public readonly field.</summary>
public sealed class Account
{
    public readonly int Balance;

    public Account(string name, int balance, Grade grade)
    {
        Name = name;
        Balance = balance;
        Grade = grade;
    }

    public string Name { get; private set; }

    public Grade Grade { get; }
}

public sealed record Moments(DateTime Local, DateTime Unspecified, DateTime Utc, DateTimeOffset Offset, IReadOnlyList<DateTimeOffset> More);

public sealed record Numbers(Int128 Big, UInt128 Unsigned, decimal Price, Half Small, TimeSpan Span);

/// <summary>Unsealed: a derived instance may be returned where it is declared.</summary>
public class Animal
{
    public string Name { get; init; } = "";
}

public sealed class Dog : Animal
{
    public int Barks { get; init; }
}

/// <summary>Results that must come back from disk exactly as they were stored (issue 10).</summary>
public interface IStoredValues
{
    [Cached]
    Account GetAccount(int id);

    [Cached]
    Moments GetMoments(int id);

    [Cached]
    string GetText(int id);

    [Cached]
    Numbers GetNumbers(int id);

    [Cached]
    Animal GetAnimal(int id);
}

public sealed class StoredValues : IStoredValues
{
    public static readonly Account Account = new("Ada", -42, Grade.High);

    public static readonly Moments Moments = new(
        new DateTime(2026, 3, 1, 9, 30, 15, DateTimeKind.Local).AddTicks(1234567),
        new DateTime(2026, 3, 1, 9, 30, 15, DateTimeKind.Unspecified).AddTicks(7),
        new DateTime(2026, 3, 1, 9, 30, 15, DateTimeKind.Utc).AddTicks(1),
        new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.FromHours(5.75)),
        [new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.FromHours(-3.5)), DateTimeOffset.MinValue, DateTimeOffset.MaxValue]);

    /// <summary>Text cut in the middle of an emoji (a lone high surrogate), and a lone low surrogate after a BOM.</summary>
    public const string Text = "cut \uD83D|\uFEFF\uDE00 end";

    public static readonly Numbers Numbers = new(Int128.MinValue + 1, UInt128.MaxValue, 12.500m, (Half)0.333, TimeSpan.FromTicks(-1));

    public static readonly Dog Dog = new() { Name = "Rex", Barks = 3 };

    private int _calls;

    public int Calls => _calls;

    public Account GetAccount(int id) => Count(Account);

    public Moments GetMoments(int id) => Count(Moments);

    public string GetText(int id) => Count(Text);

    public Numbers GetNumbers(int id) => Count(Numbers);

    public Animal GetAnimal(int id) => Count<Animal>(Dog);

    private T Count<T>(T value)
    {
        Interlocked.Increment(ref _calls);
        return value;
    }
}
