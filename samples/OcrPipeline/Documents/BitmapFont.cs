namespace OcrPipeline.Documents;

/// <summary>
/// A 5×7 bitmap font of upper-case letters, digits and common punctuation. It renders the sample's
/// documents and is the reference the built-in engine matches glyphs against, so no font file ships.
/// </summary>
public static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>Columns from one character's left edge to the next one's (one blank column between glyphs).</summary>
    public const int Advance = GlyphWidth + 1;

    private static readonly Dictionary<char, bool[,]> Glyphs = Parse(new Dictionary<char, string>
    {
        ['A'] = ".###. #...# #...# ##### #...# #...# #...#",
        ['B'] = "####. #...# #...# ####. #...# #...# ####.",
        ['C'] = ".###. #...# #.... #.... #.... #...# .###.",
        ['D'] = "###.. #..#. #...# #...# #...# #..#. ###..",
        ['E'] = "##### #.... #.... ####. #.... #.... #####",
        ['F'] = "##### #.... #.... ####. #.... #.... #....",
        ['G'] = ".###. #...# #.... #.### #...# #...# .####",
        ['H'] = "#...# #...# #...# ##### #...# #...# #...#",
        ['I'] = ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        ['J'] = "..### ...#. ...#. ...#. ...#. #..#. .##..",
        ['K'] = "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
        ['L'] = "#.... #.... #.... #.... #.... #.... #####",
        ['M'] = "#...# ##.## #.#.# #.#.# #...# #...# #...#",
        ['N'] = "#...# #...# ##..# #.#.# #..## #...# #...#",
        ['O'] = ".###. #...# #...# #...# #...# #...# .###.",
        ['P'] = "####. #...# #...# ####. #.... #.... #....",
        ['Q'] = ".###. #...# #...# #...# #.#.# #..#. .##.#",
        ['R'] = "####. #...# #...# ####. #.#.. #..#. #...#",
        ['S'] = ".#### #.... #.... .###. ....# ....# ####.",
        ['T'] = "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        ['U'] = "#...# #...# #...# #...# #...# #...# .###.",
        ['V'] = "#...# #...# #...# #...# #...# .#.#. ..#..",
        ['W'] = "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
        ['X'] = "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
        ['Y'] = "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
        ['Z'] = "##### ....# ...#. ..#.. .#... #.... #####",
        ['0'] = ".###. #...# #..## #.#.# ##..# #...# .###.",
        ['1'] = "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
        ['2'] = ".###. #...# ....# ...#. ..#.. .#... #####",
        ['3'] = "##### ...#. ..#.. ...#. ....# #...# .###.",
        ['4'] = "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
        ['5'] = "##### #.... ####. ....# ....# #...# .###.",
        ['6'] = "..##. .#... #.... ####. #...# #...# .###.",
        ['7'] = "##### ....# ...#. ..#.. .#... .#... .#...",
        ['8'] = ".###. #...# #...# .###. #...# #...# .###.",
        ['9'] = ".###. #...# #...# .#### ....# ...#. .##..",
        ['.'] = "..... ..... ..... ..... ..... .##.. .##..",
        [','] = "..... ..... ..... ..... .##.. ..#.. .#...",
        [':'] = "..... .##.. .##.. ..... .##.. .##.. .....",
        ['-'] = "..... ..... ..... ##### ..... ..... .....",
        ['/'] = "..... ....# ...#. ..#.. .#... #.... .....",
        ['#'] = ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.",
        ['$'] = "..#.. .#### #.#.. .###. ..#.# ####. ..#..",
        ['%'] = "##... ##..# ...#. ..#.. .#... #..## ...##",
        ['('] = "...#. ..#.. .#... .#... .#... ..#.. ...#.",
        [')'] = ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
        ['&'] = ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",
        ['+'] = "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
        ['='] = "..... ..... ##### ..... ##### ..... .....",
        ['\''] = ".##.. ..#.. .#... ..... ..... ..... .....",
    });

    /// <summary>Every character the font can draw, in a fixed order (the matcher's tie-break).</summary>
    public static IReadOnlyList<char> Characters { get; } = Glyphs.Keys.Order().ToArray();

    /// <summary>Whether pixel (<paramref name="column"/>, <paramref name="row"/>) of <paramref name="c"/> is ink; a space is blank.</summary>
    public static bool IsInk(char c, int column, int row) => Glyphs.TryGetValue(c, out var glyph) && glyph[row, column];

    private static Dictionary<char, bool[,]> Parse(Dictionary<char, string> rows)
    {
        var glyphs = new Dictionary<char, bool[,]>();
        foreach (var (c, pattern) in rows)
        {
            var lines = pattern.Split(' ');
            if (lines.Length != GlyphHeight || lines.Any(l => l.Length != GlyphWidth))
            {
                throw new InvalidOperationException($"Glyph '{c}' is not {GlyphWidth}x{GlyphHeight}.");
            }

            var glyph = new bool[GlyphHeight, GlyphWidth];
            for (var row = 0; row < GlyphHeight; row++)
            {
                for (var column = 0; column < GlyphWidth; column++)
                {
                    glyph[row, column] = lines[row][column] == '#';
                }
            }

            glyphs.Add(c, glyph);
        }

        return glyphs;
    }
}
