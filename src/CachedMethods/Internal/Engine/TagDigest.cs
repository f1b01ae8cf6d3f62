using System.Security.Cryptography;
using System.Text;

namespace CachedMethods.Internal;

/// <summary>
/// What the engine keeps of a tag: the first 16 bytes of the SHA-256 of its UTF-8 text, written as 32
/// lowercase hex characters. Tags carry key text (a prefix tag is a key's leading part), so everything
/// below the public API (entries, the memory tier, tag times, channel messages, frames) only ever sees
/// digests (issue 14, item 3). The public calls that take a tag digest their argument the same way.
/// </summary>
internal static class TagDigest
{
    /// <summary>The bytes of one digest in a frame.</summary>
    public const int Size = 16;

    /// <summary>The digest of <paramref name="tag"/>.</summary>
    public static string Of(string tag)
    {
        var length = Encoding.UTF8.GetByteCount(tag);
        var rented = length <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        var utf8 = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            Encoding.UTF8.GetBytes(tag, utf8);
            return Of(utf8);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The digest of a tag given as UTF-8 bytes.</summary>
    public static string Of(ReadOnlySpan<byte> utf8)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
        return Convert.ToHexStringLower(hash[..Size]);
    }

    /// <summary>
    /// <paramref name="tags"/> as digests, once: a list this already made is returned as is, so a tag
    /// is never digested twice whichever path an entry's options took.
    /// </summary>
    public static IReadOnlyList<string>? Normalize(IReadOnlyList<string>? tags)
    {
        if (tags is null or TagDigestList || tags.Count == 0)
        {
            return tags is { Count: 0 } ? null : tags;
        }

        var digests = new string[tags.Count];
        for (var i = 0; i < digests.Length; i++)
        {
            digests[i] = Of(tags[i]);
        }

        return new TagDigestList(digests);
    }

    /// <summary>Writes a digest's 16 bytes; anything that is not a digest is digested first.</summary>
    public static void WriteTo(string digest, Span<byte> destination)
    {
        if (digest.Length != Size * 2 || Convert.FromHexString(digest, destination[..Size], out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            Convert.FromHexString(Of(digest), destination[..Size], out _, out _);
        }
    }
}

/// <summary>Tags already digested (<see cref="TagDigest.Normalize"/>).</summary>
internal sealed class TagDigestList(string[] digests) : IReadOnlyList<string>
{
    public int Count => digests.Length;

    public string this[int index] => digests[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)digests).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => digests.GetEnumerator();
}
