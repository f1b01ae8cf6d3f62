using System.Globalization;

namespace OcrPipeline.Pipeline;

/// <summary>
/// Shows a pass as it runs: a redrawn progress bar on a terminal, one line per document when the
/// output goes to a file or a pipe (carriage returns would only garble a log).
/// </summary>
public sealed class ProgressView(TextWriter output, bool animate, string processName)
{
    private const int BarWidth = 24;
    private int _drawnLength;

    public static ProgressView ForConsole(string processName) => new(Console.Out, !Console.IsOutputRedirected, processName);

    /// <summary>Shows the document being read now (on a terminal only: a log gets the line when it is done).</summary>
    public void Working(string pass, int done, int total, string document)
    {
        if (animate)
        {
            Draw(pass, done, total, $"reading {document}");
        }
    }

    public void Report(string pass, int done, int total, DocumentOutcome outcome)
    {
        if (animate)
        {
            Draw(pass, done, total, $"{outcome.Document.Name}: {outcome.Source}");
        }
        else
        {
            output.WriteLine($"  {pass} [{done}/{total}] {Describe(outcome)}");
        }
    }

    /// <summary>Erases the bar, so the pass summary starts on a clean line.</summary>
    public void Finish()
    {
        if (animate && _drawnLength > 0)
        {
            output.Write("\r" + new string(' ', _drawnLength) + "\r");
            _drawnLength = 0;
        }
    }

    private void Draw(string pass, int done, int total, string status)
    {
        var filled = done * BarWidth / total;
        var bar = new string('#', filled) + new string('.', BarWidth - filled);
        var line = $"  {pass} [{bar}] {done}/{total} {status}";
        output.Write("\r" + line.PadRight(_drawnLength));
        _drawnLength = line.Length;
        output.Flush();
    }

    public string Describe(DocumentOutcome outcome)
    {
        var c = CultureInfo.InvariantCulture;
        var result = outcome.Result;
        var source = outcome.Computed && outcome.PageFromCache ? "computed (page cached)" : outcome.Source;
        var origin = !outcome.Computed && result.ComputedBy != processName ? $"  computed by {result.ComputedBy}" : "";
        return string.Create(c, $"{outcome.Document.Name,-26} {source,-9} {Duration(outcome.Elapsed),9}  {result.LineCount,3} lines {result.WordCount,4} words  {outcome.Accuracy * 100,5:F1}% read{origin}");
    }

    public static string Duration(TimeSpan elapsed) => elapsed.TotalSeconds >= 1
        ? elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s"
        : elapsed.TotalMilliseconds.ToString(elapsed.TotalMilliseconds switch { >= 10 => "F0", >= 1 => "F1", _ => "F3" }, CultureInfo.InvariantCulture) + " ms";
}
