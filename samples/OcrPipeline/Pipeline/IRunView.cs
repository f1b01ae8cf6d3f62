using CachedMethods;
using OcrPipeline.Documents;

namespace OcrPipeline.Pipeline;

/// <summary>
/// How the main run shows itself: <see cref="PlainView"/> writes one line per event (a file, a pipe or
/// <c>--plain</c>); <see cref="RichView"/> draws progress bars, tables and a chart on a terminal.
/// </summary>
public interface IRunView
{
    void Header(PipelineHost host);

    void Cleared(long removed);

    /// <summary>Runs one pass over <paramref name="documents"/>, showing each outcome as it arrives.</summary>
    Task<List<DocumentOutcome>> RunPassAsync(int pass, IReadOnlyList<SampleDocument> documents, Func<SampleDocument, Task<DocumentOutcome>> process);

    void PassDone(int pass, int documents, TimeSpan elapsed, string summary);

    void Note(string text);

    void Statistics(PipelineHost host, CacheStats stats, IReadOnlyList<IReadOnlyList<DocumentOutcome>> passes);

    /// <summary>Picks the rich view on a terminal, the plain one otherwise or when asked.</summary>
    public static IRunView ForConsole(PipelineArguments arguments, string processName) =>
        arguments.Plain || Console.IsOutputRedirected
            ? new PlainView(Console.Out, processName)
            : new RichView(processName);
}
