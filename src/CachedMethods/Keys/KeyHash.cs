using System.IO.Hashing;

namespace CachedMethods;

/// <summary>A 128-bit XxHash of a canonical key: the in-process dictionary key.</summary>
/// <remarks>
/// A hash is only a bucket: every memory entry also keeps its full canonical key and compares it on a
/// hit, so two keys that share a hash can never return each other's values.
/// </remarks>
public readonly struct KeyHash : IEquatable<KeyHash>
{
    private readonly ulong _high;
    private readonly ulong _low;

    private KeyHash(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>Hashes <paramref name="canonicalKey"/>.</summary>
    public static KeyHash Compute(ReadOnlySpan<byte> canonicalKey)
    {
        var hash = XxHash128.HashToUInt128(canonicalKey);
        return new KeyHash((ulong)(hash >> 64), (ulong)hash);
    }

    /// <inheritdoc/>
    public bool Equals(KeyHash other) => _low == other._low && _high == other._high;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KeyHash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked((int)_low ^ (int)(_low >> 32));

    /// <summary>Compares two hashes.</summary>
    public static bool operator ==(KeyHash left, KeyHash right) => left.Equals(right);

    /// <summary>Compares two hashes.</summary>
    public static bool operator !=(KeyHash left, KeyHash right) => !left.Equals(right);

    /// <summary>32 lowercase hex characters; the same in every process for the same key.</summary>
    public override string ToString() => $"{_high:x16}{_low:x16}";

    /// <summary>Reads the form <see cref="ToString"/> writes.</summary>
    public static bool TryParse(string? text, out KeyHash hash)
    {
        hash = default;
        if (text is not { Length: 32 }
            || !ulong.TryParse(text.AsSpan(0, 16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var high)
            || !ulong.TryParse(text.AsSpan(16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        hash = new KeyHash(high, low);
        return true;
    }
}
