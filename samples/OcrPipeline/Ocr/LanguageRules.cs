using System.Text;

namespace OcrPipeline.Ocr;

/// <summary>
/// The built-in engine's language step: in words of letters, a glyph that looks like a digit is read
/// as the letter it resembles, and the other way round in numbers (O/0, I/1, S/5, B/8, Z/2).
/// A real engine would use the language's dictionary here.
/// </summary>
public static class LanguageRules
{
    private const string Letters = "OISBZ";
    private const string Digits = "01582";

    /// <summary>The languages whose alphabet the built-in font covers (upper-case Latin).</summary>
    public static readonly IReadOnlyList<string> Supported = ["en", "de", "fr", "es", "it", "nl"];

    public static string Apply(string text, string language)
    {
        if (!Supported.Contains(language))
        {
            throw new ArgumentException($"The built-in engine reads {string.Join(", ", Supported)}; '{language}' needs tesseract.", nameof(language));
        }

        var result = new StringBuilder(text.Length);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] is ' ' or '\n')
            {
                result.Append(FixToken(text.AsSpan(start, i - start)));
                if (i < text.Length)
                {
                    result.Append(text[i]);
                }

                start = i + 1;
            }
        }

        return result.ToString();
    }

    private static string FixToken(ReadOnlySpan<char> token)
    {
        int letters = 0, digits = 0;
        foreach (var c in token)
        {
            letters += char.IsAsciiLetter(c) && !Letters.Contains(c) ? 1 : 0;
            digits += char.IsAsciiDigit(c) && !Digits.Contains(c) ? 1 : 0;
        }

        // Only a token that is clearly a word or clearly a number is corrected: "80G" stays as it is.
        var chars = token.ToArray();
        if (!((letters >= 2 && digits == 0) || (digits >= 2 && letters == 0)))
        {
            return new string(chars);
        }

        var (from, to) = letters > 0 ? (Digits, Letters) : (Letters, Digits);
        for (var i = 0; i < chars.Length; i++)
        {
            var at = from.IndexOf(chars[i]);
            if (at >= 0)
            {
                chars[i] = to[at];
            }
        }

        return new string(chars);
    }
}
