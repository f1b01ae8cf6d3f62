using System.Text.RegularExpressions;
using CachedMethods.TestSupport;
using PuppeteerSharp;

namespace CachedMethods.Samples.Tests;

/// <summary>
/// <c>--report</c> opened in a real headless browser (Debian's chromium, by its executable path): the page
/// renders with no script error, and its charts hold one data point per document and pass, as the run printed.
/// </summary>
public sealed class ReportTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("ocr-report");

    public void Dispose() => TestEnvironment.DeleteFolder(_folder);

    [Fact]
    public async Task The_report_renders_in_a_browser_with_a_data_point_per_document_and_pass()
    {
        var report = Path.Combine(_folder, "report.html");
        var run = await SampleProcess.RunOcrPipelineAsync(["--documents", "3", "--engine", "builtin", "--cache-dir", Path.Combine(_folder, "cache"), "--report", report]);
        Assert.True(run.ExitCode == 0, run.ToString());
        run.HasLine("^report written to ");

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        await using var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, e) => problems.Add($"page error: {e.Message}");
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                problems.Add($"console error: {e.Message.Text}");
            }
        };
        page.RequestFailed += (_, e) => problems.Add($"request failed: {e.Request.Url}");

        await page.GoToAsync(new Uri(report).AbsoluteUri, WaitUntilNavigation.Load);
        await page.WaitForSelectorAsync("body[data-rendered='true']", new WaitForSelectorOptions { Timeout = 30_000 });

        Assert.Empty(problems);

        // The latency chart: documents x passes bars, each with the source the run printed for it.
        var bars = await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('#latency-chart rect.point')].map(r => `${r.dataset.document}|${r.dataset.pass}|${r.dataset.source}|${r.getAttribute('width')}`)");
        Assert.Equal(6, bars.Length);
        foreach (Match line in Regex.Matches(run.Output, @"^  pass (\d) \[\d/3\] (doc-\S+) +(\S+) ", RegexOptions.Multiline))
        {
            var bar = Assert.Single(bars, b => b.StartsWith($"{line.Groups[2].Value}|{line.Groups[1].Value}|", StringComparison.Ordinal));
            Assert.Equal(line.Groups[3].Value, bar.Split('|')[2]);
            Assert.True(double.Parse(bar.Split('|')[3], System.Globalization.CultureInfo.InvariantCulture) >= 1, bar);
        }

        // The tier chart and table: memory and disk, with the hit counts of the printed statistics.
        var tiers = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#tier-chart rect.point[data-hits]')].map(r => `${r.dataset.tier}=${r.dataset.hits}`)");
        Assert.Equal([$"memory={run.Number(@"^memory +(\d+) ")}", $"disk={run.Number(@"^disk +(\d+) ")}"], tiers);
        Assert.Equal(2, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#tier-table tbody tr').length"));

        // Every page's scan and binarized image decodes (a broken data URI has no natural width).
        var images = await page.EvaluateExpressionAsync<int[]>("[...document.querySelectorAll('.card img')].map(i => i.complete ? i.naturalWidth : 0)");
        Assert.Equal(6, images.Length);
        Assert.All(images, width => Assert.Equal(620, width));

        // The text read against the text printed, with the accuracy the run printed.
        var accuracies = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('.card .accuracy')].map(a => a.textContent)");
        Assert.Equal(3, accuracies.Length);
        Assert.All(accuracies, a => Assert.Matches(@"^\d+\.\d% read$", a));
    }
}

/// <summary>Finds the system's chromium; the test command installs Debian's package.</summary>
internal static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string ExecutablePath() =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path
            ? path
            : Candidates.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException("No chromium found: run the test command (it installs Debian's chromium) or set CHROMIUM_PATH.");
}
