using Microsoft.Extensions.Options;

namespace CachedMethods.DependencyInjection;

/// <summary>Where the options of one name were bound from: the configuration path their keys sit under.</summary>
internal sealed record CacheOptionsSource(string Name, string SectionPath);

/// <summary>
/// Runs the generated <see cref="CacheOptionsValidator"/> and words each failure by the configuration key to fix
/// (<c>CachedMethods:Redis:Port</c>) and, where there is one, the environment variable (<c>REDIS_PORT</c>).
/// </summary>
internal sealed class CacheOptionsKeyValidator(IEnumerable<CacheOptionsSource> sources) : IValidateOptions<CacheOptions>
{
    /// <summary>The variables of <see cref="CacheOptions.ApplyEnvironment"/>, by the property path they set.</summary>
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["Redis.Port"] = "REDIS_PORT",
        ["Redis.Database"] = "REDIS_DB",
        ["Redis.KeyPrefix"] = "REDIS_KEY_PREFIX",
        ["MemoryCacheSizeMb"] = "MEMORY_CACHE_SIZE_MB",
        ["DiskCacheSizeGb"] = "DISK_CACHE_SIZE_GB",
        ["DiskCachePath"] = "DISK_CACHE_PATH",
        ["S3.Region"] = "S3_CACHE_REGION",
        ["SigningKey"] = "CACHE_SIGNING_KEY",
    };

    private readonly CacheOptionsValidator _validator = new();
    private readonly Dictionary<string, string> _sections = sources
        .GroupBy(static s => s.Name, StringComparer.Ordinal)
        .ToDictionary(static g => g.Key, static g => g.Last().SectionPath, StringComparer.Ordinal);

    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        var result = _validator.Validate(name, options);
        if (!result.Failed)
        {
            return result;
        }

        var section = _sections.TryGetValue(name ?? Options.DefaultName, out var path) ? path : CacheOptions.SectionName;
        var failures = new List<string>();
        foreach (var failure in result.Failures ?? [])
        {
            failures.Add(Describe(name ?? Options.DefaultName, section, failure));
        }

        return ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// The generated validator reports <c>Port: The field CacheOptions.Redis.Port must be between 1 and 65535.</c>: the
    /// member, then the message with a display name that is the options name (<c>CacheOptions</c> for the unnamed
    /// options) followed by the property path. Replace that display name with the configuration key.
    /// </summary>
    internal static string Describe(string optionsName, string section, string failure)
    {
        var displayPrefix = (optionsName.Length == 0 ? nameof(CacheOptions) : optionsName) + ".";
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        var error = colon < 0 ? failure : failure[(colon + 2)..];
        var at = error.IndexOf(displayPrefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return failure;
        }

        var end = at + displayPrefix.Length;
        while (end < error.Length && (char.IsAsciiLetterOrDigit(error[end]) || error[end] is '.' or '_'))
        {
            end++;
        }

        var propertyPath = error[(at + displayPrefix.Length)..end].TrimEnd('.');
        var key = (section.Length == 0 ? "" : section + ":") + propertyPath.Replace('.', ':');
        var message = string.Concat(error.AsSpan(0, at), key, error.AsSpan(at + displayPrefix.Length + propertyPath.Length));
        return Variables.TryGetValue(propertyPath, out var variable)
            ? $"{key} (or {variable}): {message}"
            : $"{key}: {message}";
    }
}
