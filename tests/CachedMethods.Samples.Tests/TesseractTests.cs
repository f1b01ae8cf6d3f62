using CachedMethods.TestSupport;

namespace CachedMethods.Samples.Tests;

/// <summary>
/// The sample's real OCR path: tesseract (Debian's tesseract-ocr, installed by the test command) reads a
/// page, the warm pass is a memory hit, and a second run is served from disk without running tesseract.
/// </summary>
public sealed class TesseractTests : IDisposable
{
    private readonly string _cache = TestEnvironment.NewTempFolder("ocr-tesseract");

    public void Dispose() => TestEnvironment.DeleteFolder(_cache);

    [Fact]
    public async Task Tesseract_reads_a_page_and_the_second_pass_and_the_second_run_are_cache_hits()
    {
        var first = await SampleProcess.RunOcrPipelineAsync(["--documents", "1", "--engine", "tesseract", "--cache-dir", _cache]);
        Assert.True(first.ExitCode == 0, first.ToString());
        first.HasLine(@"^  engine +tesseract \d");
        first.HasLine(@"^  pass 1 \[1/1\] doc-01-\S+ +computed ");
        first.HasLine(@"^  pass 2 \[1/1\] doc-01-\S+ +memory ");

        // Real OCR of a noisy generated scan is not exact, but it reads most of the text.
        Assert.True(first.Number(@"^  pass 1 \[1/1\] \S+ +computed .* (\d+)\.\d% read") >= 50, first.ToString());

        var second = await SampleProcess.RunOcrPipelineAsync(["--documents", "1", "--engine", "tesseract", "--cache-dir", _cache]);
        Assert.True(second.ExitCode == 0, second.ToString());
        second.HasLine(@"^  pass 1 \[1/1\] doc-01-\S+ +disk ");
        second.HasLine(@"^pass 1: 1 documents in .+; 1 of 1 served from the cache \(disk\): results of an earlier run$");
    }
}
