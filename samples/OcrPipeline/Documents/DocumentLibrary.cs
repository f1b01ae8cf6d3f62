using System.Security.Cryptography;

namespace OcrPipeline.Documents;

/// <summary>One scanned page: its file bytes (binary PGM), the SHA-256 that names it, and the text printed on it.</summary>
public sealed record SampleDocument(int Index, string Name, string Kind, string Hash, byte[] File, IReadOnlyList<string> Text);

/// <summary>
/// The sample's documents, generated on start. A real pipeline would read files from a bucket; the
/// cache only ever sees the content hash, so where the bytes come from does not matter to it.
/// </summary>
public sealed class DocumentLibrary
{
    private readonly Dictionary<string, SampleDocument> _byHash;

    private DocumentLibrary(IReadOnlyList<SampleDocument> documents)
    {
        Documents = documents;
        _byHash = documents.ToDictionary(d => d.Hash, StringComparer.Ordinal);
    }

    public IReadOnlyList<SampleDocument> Documents { get; }

    public static DocumentLibrary Generate(int count)
    {
        var documents = new SampleDocument[count];
        Parallel.For(0, count, i =>
        {
            var text = SampleTexts.Create(i, 34 + ((i * 5) % 12));
            var file = DocumentGenerator.Render(i, text).ToPgm();
            var kind = SampleTexts.KindOf(i);
            var name = $"doc-{i + 1:00}-{kind.ToLowerInvariant().Replace(' ', '-')}";
            documents[i] = new SampleDocument(i, name, kind, Convert.ToHexStringLower(SHA256.HashData(file)), file, text);
        });
        return new DocumentLibrary(documents);
    }

    /// <summary>The file bytes of the document with this content hash.</summary>
    /// <exception cref="KeyNotFoundException">No such document.</exception>
    public SampleDocument Get(string hash) =>
        _byHash.TryGetValue(hash, out var document) ? document : throw new KeyNotFoundException($"No document with hash {hash}.");
}
