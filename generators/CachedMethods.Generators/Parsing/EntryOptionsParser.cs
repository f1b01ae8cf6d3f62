using System.Collections.Generic;
using System.Globalization;
using CachedMethods.Generators.Diagnostics;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// Checks the per-method settings of [Cached] (Ttl, Tags, fail-safe, timeouts, refresh-ahead) and turns
/// them into the <see cref="EntryOptionsModel"/> of the method's static CacheEntryOptions.
/// </summary>
internal static class EntryOptionsParser
{
    public static EntryOptionsModel Parse(CachedAttributeData data, MethodDisplayName methodName, Location? methodLocation, DiagnosticSink sink)
    {
        if (data.Ttl < 0)
        {
            sink.Report(DiagnosticDescriptors.NegativeTtl, data.LocationOf("Ttl") ?? methodLocation, methodName, data.Ttl);
        }

        CheckNotNegative(data, "FailSafeSeconds", data.FailSafeSeconds, "seconds", methodName, methodLocation, sink);
        CheckNotNegative(data, "SoftTimeoutMs", data.SoftTimeoutMs, "milliseconds", methodName, methodLocation, sink);
        CheckNotNegative(data, "HardTimeoutMs", data.HardTimeoutMs, "milliseconds", methodName, methodLocation, sink);

        // Written so that NaN fails too.
        if (!(data.RefreshAhead >= 0 && data.RefreshAhead < 1))
        {
            sink.Report(
                DiagnosticDescriptors.RefreshAheadOutOfRange,
                data.LocationOf("RefreshAhead") ?? methodLocation,
                methodName,
                data.RefreshAhead.ToString("R", CultureInfo.InvariantCulture));
        }

        // The engine serves a stale value on a soft timeout only under fail-safe. The engine-wide default may
        // turn fail-safe on, so this is a warning rather than an error.
        if (data.SoftTimeoutMs > 0 && data.FailSafeSeconds == 0)
        {
            sink.Report(DiagnosticDescriptors.SoftTimeoutWithoutFailSafe, data.LocationOf("SoftTimeoutMs") ?? methodLocation, methodName);
        }

        return new EntryOptionsModel(
            data.Ttl,
            data.Tiers,
            Tags(data, methodName, methodLocation, sink).ToEquatableArray(),
            data.DistributedSingleFlight,
            data.FailSafeSeconds,
            data.SoftTimeoutMs,
            data.HardTimeoutMs,
            data.RefreshAhead);
    }

    /// <summary>The tags in the order written, without empty ones and repeats (tags compare ordinally, as the engine's do).</summary>
    private static List<string> Tags(CachedAttributeData data, MethodDisplayName methodName, Location? methodLocation, DiagnosticSink sink)
    {
        var tags = new List<string>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var (tag, location) in data.Tags)
        {
            if (string.IsNullOrEmpty(tag))
            {
                sink.Report(DiagnosticDescriptors.InvalidTag, location ?? methodLocation, methodName, "contain an empty tag, which no invalidation can name");
            }
            else if (!seen.Add(tag!))
            {
                sink.Report(DiagnosticDescriptors.InvalidTag, location ?? methodLocation, methodName, $"list '{tag}' more than once");
            }
            else
            {
                tags.Add(tag!);
            }
        }

        return tags;
    }

    private static void CheckNotNegative(
        CachedAttributeData data, string property, int value, string unit, MethodDisplayName methodName, Location? methodLocation, DiagnosticSink sink)
    {
        if (value < 0)
        {
            sink.Report(DiagnosticDescriptors.NegativeDuration, data.LocationOf(property) ?? methodLocation, property, methodName, value, unit);
        }
    }
}
