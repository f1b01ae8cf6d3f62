using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace CachedMethods.Generators.Emit;

/// <summary>
/// Writes the static CacheEntryOptions of each cached method: built once per type, so a call allocates
/// no options. Only the settings [Cached] gives are written; the rest stay null, the engine's defaults.
/// </summary>
internal static class EntryOptionsEmitter
{
    public static void WriteFields(SourceWriter writer, IReadOnlyList<CachedCallModel> calls)
    {
        foreach (var call in calls)
        {
            var settings = Settings(call.Options);
            var declaration = $"private static readonly global::CachedMethods.CacheEntryOptions {call.OptionsField} = ";
            if (settings.Count == 0)
            {
                writer.WriteLine(declaration + "global::CachedMethods.CacheEntryOptions.Default;");
            }
            else if (settings.Count <= 2)
            {
                writer.WriteLine($"{declaration}new() {{ {string.Join(", ", settings)} }};");
            }
            else
            {
                writer.WriteLine(declaration + "new()");
                writer.OpenBrace();
                foreach (var setting in settings)
                {
                    writer.WriteLine(setting + ",");
                }

                writer.CloseBrace(";");
            }
        }

        if (calls.Count > 0)
        {
            writer.WriteLine();
        }
    }

    /// <summary>The initializers, in the order CacheEntryOptions declares its properties.</summary>
    private static List<string> Settings(EntryOptionsModel options)
    {
        var settings = new List<string>();
        if (options.TtlSeconds > 0)
        {
            settings.Add($"Ttl = global::System.TimeSpan.FromSeconds({Number(options.TtlSeconds)})");
        }

        if (options.Tiers != 7)
        {
            settings.Add($"Tiers = {TiersExpression(options.Tiers)}");
        }

        if (!options.Tags.IsEmpty)
        {
            settings.Add($"Tags = new string[] {{ {string.Join(", ", options.Tags.Select(KeyEmitter.Literal))} }}");
        }

        if (options.DistributedSingleFlight)
        {
            settings.Add("DistributedSingleFlight = true");
        }

        if (options.FailSafeSeconds > 0)
        {
            settings.Add($"FailSafeMaxStaleness = global::System.TimeSpan.FromSeconds({Number(options.FailSafeSeconds)})");
        }

        if (options.SoftTimeoutMs > 0)
        {
            settings.Add($"SoftTimeout = global::System.TimeSpan.FromMilliseconds({Number(options.SoftTimeoutMs)})");
        }

        if (options.HardTimeoutMs > 0)
        {
            settings.Add($"HardTimeout = global::System.TimeSpan.FromMilliseconds({Number(options.HardTimeoutMs)})");
        }

        if (options.RefreshAhead > 0)
        {
            // Round-trip form under the invariant culture: "0.8", never "0,8".
            settings.Add($"RefreshAheadFraction = {SymbolDisplay.FormatPrimitive(options.RefreshAhead, quoteStrings: false, useHexadecimalNumbers: false)}");
        }

        return settings;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string TiersExpression(int tiers)
    {
        if (tiers == 0)
        {
            return "global::CachedMethods.CacheTiers.None";
        }

        var names = new List<string>();
        foreach (var (bit, name) in new[] { (1, "Memory"), (2, "Redis"), (4, "Persistent") })
        {
            if ((tiers & bit) != 0)
            {
                names.Add("global::CachedMethods.CacheTiers." + name);
            }
        }

        return (tiers & ~7) == 0 ? string.Join(" | ", names) : $"(global::CachedMethods.CacheTiers){tiers.ToString(CultureInfo.InvariantCulture)}";
    }
}
