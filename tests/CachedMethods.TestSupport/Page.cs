namespace CachedMethods.TestSupport;

/// <summary>
/// A value type shared by test processes: entries are read back only as the type that wrote them, so a
/// second process must use this same type, not a look-alike.
/// </summary>
public sealed record Page(string Text, int Number, IReadOnlyList<string> Words);
