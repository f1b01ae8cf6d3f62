using System.Diagnostics;
using System.Globalization;
using System.Text;
using OcrPipeline.Documents;

namespace OcrPipeline.Ocr;

/// <summary>Runs the <c>tesseract</c> command line (Debian's tesseract-ocr) on a page and reads its TSV output.</summary>
public static class TesseractCli
{
    private const string Executable = "tesseract";

    /// <summary>The first line of <c>tesseract --version</c> (e.g. "tesseract 5.3.0"), or <see langword="null"/> when it is not installed.</summary>
    public static string? DetectVersion()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (!path.Any(folder => File.Exists(Path.Combine(folder, Executable))))
        {
            return null;
        }

        try
        {
            var (exitCode, output, error) = RunAsync(["--version"], CancellationToken.None).GetAwaiter().GetResult();
            var first = (output + "\n" + error).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("tesseract", StringComparison.Ordinal));
            return exitCode == 0 && first is not null ? first : null;
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static async Task<PageReading> RecognizeAsync(GrayImage image, int dpi, string language, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ocr-pipeline-{Guid.NewGuid():N}.pgm");
        try
        {
            await File.WriteAllBytesAsync(file, image.ToPgm(), cancellationToken);
            var dpiText = dpi.ToString(CultureInfo.InvariantCulture);
            var (exitCode, output, error) = await RunAsync([file, "stdout", "--dpi", dpiText, "-l", TesseractLanguage(language), "tsv"], cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"tesseract exited with {exitCode}: {error.Trim()}");
            }

            return ParseTsv(output, image.Width, image.Height);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string TesseractLanguage(string language) => language switch
    {
        "en" => "eng",
        "de" => "deu",
        "fr" => "fra",
        "es" => "spa",
        "it" => "ita",
        "nl" => "nld",
        _ => language,
    };

    /// <summary>Level-5 rows of tesseract's TSV are words, numbered by block, paragraph and line.</summary>
    private static PageReading ParseTsv(string tsv, int width, int height)
    {
        var lines = new List<(string Id, List<(Box Box, string Text, double Confidence)> Words)>();
        foreach (var row in tsv.Split('\n').Skip(1))
        {
            var cells = row.TrimEnd('\r').Split('\t');
            if (cells.Length < 12 || cells[0] != "5" || string.IsNullOrWhiteSpace(cells[11]))
            {
                continue;
            }

            int Cell(int i) => int.Parse(cells[i], CultureInfo.InvariantCulture);
            var id = $"{cells[2]}.{cells[3]}.{cells[4]}";
            if (lines.Count == 0 || lines[^1].Id != id)
            {
                lines.Add((id, []));
            }

            var confidence = double.Parse(cells[10], CultureInfo.InvariantCulture) / 100;
            lines[^1].Words.Add((new Box(Cell(6), Cell(7), Cell(8), Cell(9)), cells[11], confidence));
        }

        var text = string.Join('\n', lines.Select(l => string.Join(' ', l.Words.Select(w => w.Text))));
        var words = lines.SelectMany(l => l.Words).ToList();
        var layout = new PageLayout(width, height, 0, -1, lines.Select(l => new TextLine(Union(l.Words.Select(w => w.Box)), l.Words.Select(w => w.Box).ToArray())).ToArray());
        var meanConfidence = words.Count == 0 ? 0 : words.Average(w => Math.Max(0, w.Confidence));
        return new PageReading(layout, text, words.Sum(w => w.Text.Length), meanConfidence);
    }

    private static Box Union(IEnumerable<Box> boxes)
    {
        var all = boxes.ToList();
        var left = all.Min(b => b.Left);
        var top = all.Min(b => b.Top);
        return new Box(left, top, all.Max(b => b.Left + b.Width) - left, all.Max(b => b.Top + b.Height) - top);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // One tesseract at a time per page is plenty on a small machine: keep its own threads to one.
        start.Environment["OMP_THREAD_LIMIT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("tesseract did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
