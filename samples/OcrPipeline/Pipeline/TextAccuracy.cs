namespace OcrPipeline.Pipeline;

/// <summary>How much of the printed text was read back: 1 minus the character error rate (edit distance).</summary>
public static class TextAccuracy
{
    public static double Score(IReadOnlyList<string> printed, string recognized)
    {
        var truth = Normalize(printed);
        var read = Normalize(recognized.Split('\n'));
        var length = truth.Sum(l => l.Length);
        if (length == 0)
        {
            return read.Length == 0 ? 1 : 0;
        }

        // Line by line when the line counts agree (cheap enough for a warm pass), else the whole text.
        var errors = truth.Length == read.Length
            ? truth.Zip(read, EditDistance).Sum()
            : EditDistance(string.Join('\n', truth), string.Join('\n', read));
        return Math.Max(0, 1 - ((double)errors / length));
    }

    // Leading spaces and blank lines carry no text; both engines drop them.
    private static string[] Normalize(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
