using Microsoft.Extensions.Configuration;

namespace CachedMethods;

/// <summary>Reads <see cref="CacheOptions"/> from configuration.</summary>
public static class CacheOptionsConfigurationExtensions
{
    /// <summary>
    /// Overlays every key present in <paramref name="configuration"/> (a section such as
    /// <c>configuration.GetSection("CachedMethods")</c>) onto <paramref name="options"/>; keys that are absent
    /// leave their property as it was. Keys are the property names, nested with <c>:</c> (<c>Redis:Url</c>).
    /// </summary>
    /// <remarks>
    /// The configuration-binding source generator writes this binding at compile time: no reflection, so it
    /// works under trimming and NativeAOT.
    /// </remarks>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="CacheConfigurationException">A value cannot be converted; the message names its key.</exception>
    public static CacheOptions ApplyConfiguration(this CacheOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the full key and the expected type ("... at 'CachedMethods:Redis:Port' ...").
            throw new CacheConfigurationException(ex.Message, ex);
        }

        return options;
    }
}
