using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CachedMethods;
using OcrPipeline.Documents;
using OcrPipeline.Ocr;
using OcrPipeline.Pipeline;

namespace OcrPipeline.Report;

/// <summary>
/// <c>--report FILE</c>: one self-contained HTML page (images inline, no external script or style) with
/// each page's scan and binarized image, the text read against the text printed, both passes' latency
/// per document coloured by the tier that served it, and the cache statistics.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(string path, PipelineHost host, CacheStats stats, IReadOnlyList<IReadOnlyList<DocumentOutcome>> passes, CancellationToken cancellationToken)
    {
        var cards = new StringBuilder();
        foreach (var outcome in passes[^1])
        {
            // A cache hit: both passes prepared every page.
            var clean = await host.Preprocessor.PrepareAsync(outcome.Document.Hash, host.Arguments.Dpi, host.Arguments.Strategy, cancellationToken);
            AppendCard(cards, outcome, clean);
        }

        var html = Template
            .Replace("{{title}}", Encode($"OcrPipeline report: {host.Library.Documents.Count} documents, {host.ProcessName}"), StringComparison.Ordinal)
            .Replace("{{summary}}", Summary(host, passes), StringComparison.Ordinal)
            .Replace("{{data}}", Data(stats, passes), StringComparison.Ordinal)
            .Replace("{{cards}}", cards.ToString(), StringComparison.Ordinal);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, html, Encoding.UTF8, cancellationToken);
    }

    private static string Summary(PipelineHost host, IReadOnlyList<IReadOnlyList<DocumentOutcome>> passes)
    {
        var rows = PlainView.DescribeRun(host).Skip(1).Select(r => $"<tr><th>{Encode(r.Label)}</th><td>{Encode(r.Text)}</td></tr>");
        var passRows = passes.Select((p, i) => string.Create(C,
            $"<tr><th>pass {i + 1}</th><td>{PlainView.Duration(TimeSpan.FromTicks(p.Sum(o => o.Elapsed.Ticks)))}; {Encode(MainRun.Summarize(p.ToList(), i == 0))}</td></tr>"));
        return string.Join("\n", rows.Concat(passRows));
    }

    /// <summary>The figures the page's script draws, as JSON (HTML-sensitive characters escaped by the writer).</summary>
    private static string Data(CacheStats stats, IReadOnlyList<IReadOnlyList<DocumentOutcome>> passes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("documents");
            for (var i = 0; i < passes[0].Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("name", passes[0][i].Document.Name);
                json.WriteStartArray("passes");
                foreach (var pass in passes)
                {
                    json.WriteStartObject();
                    json.WriteString("source", pass[i].Source);
                    json.WriteNumber("ms", Math.Round(pass[i].Elapsed.TotalMilliseconds, 4));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("tiers");
            foreach (var tier in stats.Tiers)
            {
                json.WriteStartObject();
                json.WriteString("name", tier.Name);
                json.WriteNumber("hits", tier.Hits);
                json.WriteNumber("misses", tier.Misses);
                json.WriteNumber("errors", tier.Errors);
                json.WriteNumber("entries", tier.Entries);
                json.WriteNumber("bytes", tier.SizeBytes);
                json.WriteBoolean("up", tier.Available);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("methods");
            foreach (var method in stats.Methods)
            {
                json.WriteStartObject();
                json.WriteString("name", method.Name);
                json.WriteNumber("requests", method.Requests);
                json.WriteNumber("memory", method.MemoryHits);
                json.WriteNumber("lower", method.LowerTierHits);
                json.WriteNumber("computed", method.FactoryRuns);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("requests", stats.TotalRequests);
            json.WriteNumber("hits", stats.TotalHits);
            json.WriteString("environment", stats.Environment.ToString());
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void AppendCard(StringBuilder html, DocumentOutcome outcome, CleanPage clean)
    {
        var document = outcome.Document;
        var scan = Image(GrayImage.FromPgm(document.File));
        var binarized = Image(ImageOps.ToImage(clean));
        html.Append(C, $"""
            <section class="card" id="{Encode(document.Name)}">
              <h3>{Encode(document.Name)} <small>{Encode(document.Kind)}</small> <span class="accuracy">{outcome.Accuracy * 100:F1}% read</span></h3>
              <div class="images">
                <figure><img alt="scan of {Encode(document.Name)}" src="data:image/png;base64,{scan}"><figcaption>scan</figcaption></figure>
                <figure><img alt="binarized {Encode(document.Name)}" src="data:image/png;base64,{binarized}"><figcaption>binarized, deskewed {clean.SkewDegrees:F2}°, threshold {clean.Threshold}</figcaption></figure>
              </div>
              <table class="text"><thead><tr><th>printed</th><th>read</th></tr></thead><tbody>
            """);
        var printed = document.Text.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var read = outcome.Result.Text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        for (var i = 0; i < Math.Max(printed.Count, read.Count); i++)
        {
            var truth = i < printed.Count ? printed[i] : "";
            var got = i < read.Count ? read[i] : "";
            html.Append(C, $"<tr{(truth == got ? "" : " class=\"diff\"")}><td>{Encode(truth)}</td><td>{Encode(got)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n</section>\n");
    }

    private static string Image(GrayImage image) => Convert.ToBase64String(PngEncoder.Encode(PngEncoder.Shrink(image, 2)));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{{title}}</title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
          h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
          table { border-collapse: collapse; } th, td { padding: 2px 10px; text-align: left; vertical-align: top; }
          table.stats td, table.stats th { border-bottom: 1px solid #ddd; } table.stats td.n { text-align: right; }
          .legend span { display: inline-block; margin-right: 1.2em; } .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; }
          svg text { font-size: 11px; fill: #333; }
          .card { border: 1px solid #ccc; border-radius: 6px; padding: 0 1em 1em; margin: 1.5em 0; }
          .card .accuracy { font-weight: normal; color: #2a7; margin-left: 1em; }
          .images { display: flex; gap: 1em; flex-wrap: wrap; } figure { margin: 0; } figure img { width: 310px; border: 1px solid #ccc; image-rendering: auto; }
          table.text { font-family: ui-monospace, monospace; font-size: 12px; margin-top: 0.8em; } table.text tr.diff td { background: #fde8e8; }
        </style>
        </head>
        <body>
        <h1>{{title}}</h1>
        <table class="summary">
        {{summary}}
        </table>

        <h2>Latency per document, pass 1 against pass 2 (log scale)</h2>
        <div class="legend" id="legend"></div>
        <svg id="latency-chart" role="img" aria-label="latency per document"></svg>

        <h2>Requests per [Cached] method, both passes</h2>
        <table class="stats" id="method-table"><thead><tr><th>method</th><th>requests</th><th>hit rate</th><th>memory</th><th>lower tiers</th><th>computed</th></tr></thead><tbody></tbody></table>

        <h2>Lookups per cache tier, both passes</h2>
        <svg id="tier-chart" role="img" aria-label="hits and misses per tier"></svg>
        <table class="stats" id="tier-table"><thead><tr><th>tier</th><th>hits</th><th>misses</th><th>errors</th><th>entries</th><th>size</th><th>state</th></tr></thead><tbody></tbody></table>
        <p id="totals"></p>

        <h2>Pages</h2>
        {{cards}}

        <script type="application/json" id="report-data">{{data}}</script>
        <script>
        "use strict";
        const data = JSON.parse(document.getElementById("report-data").textContent);
        const colors = { computed: "#e0a800", memory: "#2a9d4a", redis: "#d33", disk: "#3366cc", s3: "#f08c00" };
        const color = source => colors[source] || "#888";
        const ns = "http://www.w3.org/2000/svg";
        function el(name, attributes, parent, text) {
          const node = document.createElementNS(ns, name);
          for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
          if (text !== undefined) node.textContent = text;
          parent.appendChild(node);
          return node;
        }
        function format(ms) { return ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms >= 1 ? ms.toFixed(1) + " ms" : (ms * 1000).toFixed(1) + " µs"; }

        function latencyChart() {
          const svg = document.getElementById("latency-chart");
          const docs = data.documents, rowHeight = 34, left = 190, width = 560, top = 10;
          const all = docs.flatMap(d => d.passes.map(p => Math.max(p.ms, 0.001)));
          const lo = Math.floor(Math.log10(Math.min(...all))), hi = Math.ceil(Math.log10(Math.max(...all)));
          const x = ms => left + (Math.log10(Math.max(ms, 0.001)) - lo) / Math.max(1, hi - lo) * width;
          svg.setAttribute("width", left + width + 150);
          svg.setAttribute("height", top + docs.length * rowHeight + 30);
          for (let e = lo; e <= hi; e++) {
            el("line", { x1: x(10 ** e), x2: x(10 ** e), y1: top, y2: top + docs.length * rowHeight, stroke: "#eee" }, svg);
            el("text", { x: x(10 ** e), y: top + docs.length * rowHeight + 14, "text-anchor": "middle" }, svg, format(10 ** e));
          }
          docs.forEach((doc, i) => {
            const y = top + i * rowHeight;
            el("text", { x: left - 8, y: y + 20, "text-anchor": "end" }, svg, doc.name);
            doc.passes.forEach((pass, p) => {
              const bar = el("rect", { class: "point", x: left, y: y + 3 + p * 14, width: Math.max(1, x(pass.ms) - left), height: 12, fill: color(pass.source),
                "data-document": doc.name, "data-pass": p + 1, "data-source": pass.source, "data-ms": pass.ms }, svg);
              el("title", {}, bar, `${doc.name}, pass ${p + 1}: ${pass.source}, ${format(pass.ms)}`);
              el("text", { x: x(pass.ms) + 4, y: y + 13 + p * 14 }, svg, `${format(pass.ms)} ${pass.source}`);
            });
          });
          const legend = document.getElementById("legend");
          for (const source of new Set(docs.flatMap(d => d.passes.map(p => p.source)))) {
            const item = document.createElement("span");
            item.innerHTML = `<i style="background:${color(source)}"></i>`;
            item.append(source);
            legend.appendChild(item);
          }
        }

        function tierChart() {
          const svg = document.getElementById("tier-chart");
          const tiers = data.tiers, left = 80, width = 420, rowHeight = 26;
          const max = Math.max(1, ...tiers.map(t => t.hits + t.misses));
          svg.setAttribute("width", left + width + 160);
          svg.setAttribute("height", tiers.length * rowHeight + 10);
          tiers.forEach((tier, i) => {
            const y = 5 + i * rowHeight, hitWidth = tier.hits / max * width, missWidth = tier.misses / max * width;
            el("text", { x: left - 8, y: y + 14, "text-anchor": "end" }, svg, tier.name);
            el("rect", { class: "point", x: left, y, width: hitWidth, height: 18, fill: color(tier.name), "data-tier": tier.name, "data-hits": tier.hits }, svg);
            el("rect", { class: "point", x: left + hitWidth, y, width: missWidth, height: 18, fill: "#ccc", "data-tier": tier.name, "data-misses": tier.misses }, svg);
            el("text", { x: left + hitWidth + missWidth + 6, y: y + 14 }, svg, `${tier.hits} hits, ${tier.misses} misses`);
          });
          const body = document.querySelector("#tier-table tbody");
          for (const tier of tiers) {
            const row = body.insertRow();
            const size = tier.bytes < 0 ? "?" : (tier.bytes / 1048576).toFixed(2) + " MB";
            for (const [value, numeric] of [[tier.name], [tier.hits, 1], [tier.misses, 1], [tier.errors, 1], [tier.entries < 0 ? "?" : tier.entries, 1], [size, 1], [tier.up ? "up" : "down"]]) {
              const cell = row.insertCell();
              cell.textContent = value;
              if (numeric) cell.className = "n";
            }
          }
          const methods = document.querySelector("#method-table tbody");
          for (const method of data.methods) {
            const row = methods.insertRow();
            const hitRate = method.requests === 0 ? 0 : (method.memory + method.lower) / method.requests * 100;
            for (const [value, numeric] of [[method.name], [method.requests, 1], [hitRate.toFixed(1) + "%", 1], [method.memory, 1], [method.lower, 1], [method.computed, 1]]) {
              const cell = row.insertCell();
              cell.textContent = value;
              if (numeric) cell.className = "n";
            }
          }
          const rate = data.requests === 0 ? 0 : data.hits / data.requests * 100;
          document.getElementById("totals").textContent = `${data.requests} requests to cached methods, ${rate.toFixed(1)}% served from the cache (${data.environment})`;
        }

        latencyChart();
        tierChart();
        document.body.dataset.rendered = "true";
        </script>
        </body>
        </html>
        """;
}
