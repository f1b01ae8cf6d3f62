using System.ComponentModel;
using MessagePack;
using MessagePack.Formatters;

namespace CachedMethods.Serialization;

/// <summary>
/// Where the formatters the CachedMethods generator writes are found at run time. Each assembly with
/// [Cached] methods or [CacheSerializable] types registers its generated resolver from a module
/// initializer; <see cref="MessagePackCacheSerializer"/> asks them first, then the exact formatters of
/// the runtime types in <see cref="BuiltInFormatters"/>. Nothing is built by reflection or emitted.
/// </summary>
public static class CacheFormatters
{
    private static IFormatterResolver[] s_generated = [];

    /// <summary>
    /// Adds a generated resolver. Called by generated code; thread-safe, and a resolver added twice is kept once.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Register(IFormatterResolver generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        IFormatterResolver[] current, next;
        do
        {
            current = Volatile.Read(ref s_generated);
            if (Array.IndexOf(current, generated) >= 0)
            {
                return;
            }

            next = [.. current, generated];
        }
        while (Interlocked.CompareExchange(ref s_generated, next, current) != current);
    }

    /// <summary>The resolver every <see cref="MessagePackCacheSerializer"/> uses: generated resolvers, then built-in exact formatters.</summary>
    public static IFormatterResolver Resolver => CacheFormatterResolver.Instance;

    private sealed class CacheFormatterResolver : IFormatterResolver
    {
        public static readonly CacheFormatterResolver Instance = new();

        public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter ?? Find<T>();

        private static IMessagePackFormatter<T>? Find<T>()
        {
            // Not cached while missing: the assembly that registers a formatter for T may load later.
            foreach (var resolver in Volatile.Read(ref s_generated))
            {
                if (resolver.GetFormatter<T>() is { } generated)
                {
                    return Cache<T>.Formatter = generated;
                }
            }

            return Cache<T>.Formatter = BuiltInFormatters.Get<T>();
        }

        private static class Cache<T>
        {
            public static IMessagePackFormatter<T>? Formatter;
        }
    }
}
