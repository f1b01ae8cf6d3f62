using System.Text;
using CachedMethods.Benchmarks.Infrastructure;
using CachedMethods.Benchmarks.Model;

namespace CachedMethods.Benchmarks.Services;

/// <summary>
/// The service of the Redis (3) and disk (4) groups: document <c>id</c>, whose serialized size is about
/// <c>sizeBytes</c>. Its engines have the memory tier off, so every hit is read from the tier below.
/// </summary>
public interface IDocumentService
{
    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    Document GetDocument(int id, int sizeBytes);

    [Cached(Ttl = BenchmarkSettings.TtlSeconds)]
    ValueTask<Document> ReadDocumentAsync(int id, int sizeBytes, CancellationToken cancellationToken = default);
}

/// <summary>Builds the documents; counts its calls so that a group can check its hits are hits.</summary>
public sealed class DocumentService : IDocumentService
{
    private int _calls;

    /// <summary>How many times a method body ran.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Document GetDocument(int id, int sizeBytes)
    {
        Interlocked.Increment(ref _calls);
        return Create(id, sizeBytes);
    }

    public ValueTask<Document> ReadDocumentAsync(int id, int sizeBytes, CancellationToken cancellationToken = default) =>
        new(GetDocument(id, sizeBytes));

    /// <summary>
    /// OCR-like text, the same for the same size: words drawn from a small vocabulary with a fixed seed,
    /// so it compresses as real text does (LZ4 applies above 1 KiB, in the engine and the raw baselines alike).
    /// </summary>
    public static Document Create(int id, int sizeBytes)
    {
        string[] words = ["invoice", "total", "amount", "date", "page", "customer", "number", "tax", "due", "paid", "the", "of", "and", "2024", "EUR", "line"];
        var random = new Random(sizeBytes);
        var text = new StringBuilder(sizeBytes);

        // A record of an int and a string serializes to the string's UTF-8 plus about 20 bytes.
        while (text.Length < sizeBytes - 20)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? '\n' : ' ');
        }

        text.Length = Math.Max(0, sizeBytes - 20);
        return new Document(id, text.ToString());
    }
}
