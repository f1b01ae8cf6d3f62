using System.Collections.Generic;
using System.Globalization;

namespace CachedMethods.Generators.Emit;

/// <summary>
/// Chooses local names that cannot clash with a method's parameters, so a parameter called "key" or
/// "state" still compiles. Names read naturally when nothing clashes.
/// </summary>
internal sealed class LocalNames
{
    private readonly HashSet<string> _taken;

    public LocalNames(IEnumerable<string> reserved)
    {
        _taken = new HashSet<string>();
        foreach (var name in reserved)
        {
            _taken.Add(name.TrimStart('@'));
        }
    }

    /// <summary>Returns <paramref name="preferred"/>, or it with a number when that is taken.</summary>
    public string Take(string preferred)
    {
        var name = preferred;
        for (var i = 1; !_taken.Add(name); i++)
        {
            name = preferred + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>Returns a numbered name for a nested loop or pattern variable ("item0", "item1").</summary>
    public string Next(string stem)
    {
        var name = stem;
        for (var i = 0; !_taken.Add(name); i++)
        {
            name = stem + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }
}
