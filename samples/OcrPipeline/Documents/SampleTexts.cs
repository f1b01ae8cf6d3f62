using System.Globalization;

namespace OcrPipeline.Documents;

/// <summary>
/// The text of the sample's documents: invoices, letters, receipts and the like, made from a seed so
/// every process (and every worker) produces exactly the same pages.
/// </summary>
public static class SampleTexts
{
    public const int MaxLineLength = 60;

    private static readonly string[] Kinds =
    [
        "INVOICE", "DELIVERY NOTE", "BANK STATEMENT", "LAB REPORT",
        "PURCHASE ORDER", "MEETING MINUTES", "INSURANCE CLAIM", "RECEIPT",
    ];

    private static readonly string[] Companies =
    [
        "NORTHWIND TRADERS", "CONTOSO LTD", "FABRIKAM INC", "ADVENTURE WORKS",
        "WIDE WORLD IMPORTERS", "TAILSPIN TOYS", "LITWARE INC", "PROSEWARE LLC",
    ];

    private static readonly string[] Items =
    [
        "PAPER A4 80G", "TONER CARTRIDGE", "SCANNER ROLLER", "ARCHIVE BOX", "LABEL PRINTER",
        "USB CABLE 2M", "DOCUMENT FEEDER", "OFFICE CHAIR", "DESK LAMP", "SHREDDER BAGS",
        "STAPLES 24/6", "BINDER CLIPS", "WHITEBOARD PEN", "MONITOR ARM", "KEYBOARD",
    ];

    private static readonly string[] Words =
    [
        "THE", "PAGES", "WERE", "SCANNED", "AND", "CHECKED", "BY", "OUR", "TEAM", "BEFORE", "FILING",
        "PLEASE", "REVIEW", "ATTACHED", "RECORDS", "WITHIN", "DAYS", "OF", "RECEIPT", "ALL", "AMOUNTS",
        "ARE", "SHOWN", "IN", "EUR", "UNLESS", "NOTED", "OTHERWISE", "SIGNED", "COPIES", "FOLLOW",
        "POST", "CONTACT", "ACCOUNTS", "DEPARTMENT", "FOR", "QUESTIONS", "ABOUT", "THIS", "DOCUMENT",
        "BATCH", "ARCHIVE", "NUMBER", "REFERENCE", "QUALITY", "CONTROL", "PASSED", "REPORT",
    ];

    /// <summary>The document kind of page <paramref name="index"/> (0-based), e.g. "INVOICE".</summary>
    public static string KindOf(int index) => Kinds[index % Kinds.Length];

    /// <summary>The lines of page <paramref name="index"/>; the same index always gives the same lines.</summary>
    public static IReadOnlyList<string> Create(int index, int lineCount)
    {
        var random = new SplitMix64((ulong)(index + 1) * 0x9E3779B97F4A7C15UL);
        var c = CultureInfo.InvariantCulture;
        var company = Companies[random.Next(Companies.Length)];
        var lines = new List<string>
        {
            $"{KindOf(index)} #{1000 + (index * 37) + random.Next(30)}",
            company,
            $"{100 + random.Next(800)} HARBOUR ROAD, UNIT {1 + random.Next(40)}",
            $"DATE: 2024-{1 + random.Next(12):00}-{1 + random.Next(28):00}   REF: {random.Next(100_000):00000}-{(char)('A' + random.Next(26))}",
            "",
        };

        decimal total = 0;
        while (lines.Count < lineCount - 4)
        {
            if (random.Next(3) == 0)
            {
                lines.Add(Sentence(random));
                continue;
            }

            var quantity = 1 + random.Next(12);
            var price = (50 + random.Next(20_000)) / 100m;
            total += quantity * price;
            var item = Items[random.Next(Items.Length)];
            lines.Add(string.Create(c, $"{quantity,3} X {item,-18} {price,9:F2} {quantity * price,10:F2}"));
        }

        lines.Add("");
        lines.Add(string.Create(c, $"TOTAL: {total:F2} EUR   VAT (19%): {total * 0.19m:F2}"));
        lines.Add($"PAGE 1/1 - {company}");
        return lines;
    }

    private static string Sentence(SplitMix64 random)
    {
        var words = new List<string>();
        var length = 0;
        var target = 30 + random.Next(MaxLineLength - 30);
        while (true)
        {
            var word = Words[random.Next(Words.Length)];
            if (length + word.Length + 1 > target)
            {
                break;
            }

            words.Add(word);
            length += word.Length + 1;
        }

        return string.Join(' ', words) + ".";
    }
}
