using System.Collections.Immutable;
using MessagePack;
using MessagePack.Formatters;

namespace CachedMethods.Serialization.Formatters;

/// <summary>
/// Formatters for System.Collections.Immutable, which MessagePack 2.5's core package does not have. The
/// generator instantiates them with closed types, so nothing is built at run time. Reads take one depth step
/// and rely on the reader's check of every count against the bytes left.
/// </summary>
public sealed class ImmutableArrayFormatter<T> : IMessagePackFormatter<ImmutableArray<T>>
{
    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, ImmutableArray<T> value, MessagePackSerializerOptions options)
    {
        if (value.IsDefault)
        {
            writer.WriteNil();
            return;
        }

        var formatter = options.Resolver.GetFormatterWithVerify<T>();
        writer.WriteArrayHeader(value.Length);
        foreach (var item in value)
        {
            formatter.Serialize(ref writer, item, options);
        }
    }

    /// <inheritdoc/>
    public ImmutableArray<T> Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return default;
        }

        var formatter = options.Resolver.GetFormatterWithVerify<T>();
        options.Security.DepthStep(ref reader);
        try
        {
            var count = reader.ReadArrayHeader();
            var builder = ImmutableArray.CreateBuilder<T>(count);
            for (var i = 0; i < count; i++)
            {
                builder.Add(formatter.Deserialize(ref reader, options));
            }

            return builder.MoveToImmutable();
        }
        finally
        {
            reader.Depth--;
        }
    }
}

/// <summary>An <see cref="ImmutableList{T}"/>, element by element.</summary>
public sealed class ImmutableListFormatter<T> : IMessagePackFormatter<ImmutableList<T>?>
{
    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, ImmutableList<T>? value, MessagePackSerializerOptions options) =>
        ImmutableSequence.Write(ref writer, value, value?.Count ?? 0, options);

    /// <inheritdoc/>
    public ImmutableList<T>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var builder = ImmutableList.CreateBuilder<T>();
        return ImmutableSequence.Read(ref reader, options, builder) ? builder.ToImmutable() : null;
    }
}

/// <summary>An <see cref="ImmutableHashSet{T}"/>, element by element, read with the untrusted-data comparer.</summary>
public sealed class ImmutableHashSetFormatter<T> : IMessagePackFormatter<ImmutableHashSet<T>?>
{
    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, ImmutableHashSet<T>? value, MessagePackSerializerOptions options) =>
        ImmutableSequence.Write(ref writer, value, value?.Count ?? 0, options);

    /// <inheritdoc/>
    public ImmutableHashSet<T>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var builder = ImmutableHashSet.CreateBuilder(options.Security.GetEqualityComparer<T>());
        return ImmutableSequence.Read(ref reader, options, builder) ? builder.ToImmutable() : null;
    }
}

/// <summary>An <see cref="ImmutableDictionary{TKey, TValue}"/> as a map, read with the untrusted-data key comparer.</summary>
public sealed class ImmutableDictionaryFormatter<TKey, TValue> : IMessagePackFormatter<ImmutableDictionary<TKey, TValue>?>
    where TKey : notnull
{
    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, ImmutableDictionary<TKey, TValue>? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var keys = options.Resolver.GetFormatterWithVerify<TKey>();
        var values = options.Resolver.GetFormatterWithVerify<TValue>();
        writer.WriteMapHeader(value.Count);
        foreach (var (key, item) in value)
        {
            keys.Serialize(ref writer, key, options);
            values.Serialize(ref writer, item, options);
        }
    }

    /// <inheritdoc/>
    public ImmutableDictionary<TKey, TValue>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var keys = options.Resolver.GetFormatterWithVerify<TKey>();
        var values = options.Resolver.GetFormatterWithVerify<TValue>();
        options.Security.DepthStep(ref reader);
        try
        {
            var count = reader.ReadMapHeader();
            var builder = ImmutableDictionary.CreateBuilder<TKey, TValue>(options.Security.GetEqualityComparer<TKey>());
            for (var i = 0; i < count; i++)
            {
                var key = keys.Deserialize(ref reader, options);
                builder.Add(key, values.Deserialize(ref reader, options));
            }

            return builder.ToImmutable();
        }
        finally
        {
            reader.Depth--;
        }
    }
}

internal static class ImmutableSequence
{
    public static void Write<T>(ref MessagePackWriter writer, IEnumerable<T>? value, int count, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var formatter = options.Resolver.GetFormatterWithVerify<T>();
        writer.WriteArrayHeader(count);
        foreach (var item in value)
        {
            formatter.Serialize(ref writer, item, options);
        }
    }

    /// <summary>Fills <paramref name="target"/>; <see langword="false"/> when the value is nil.</summary>
    public static bool Read<T>(ref MessagePackReader reader, MessagePackSerializerOptions options, ICollection<T> target)
    {
        if (reader.TryReadNil())
        {
            return false;
        }

        var formatter = options.Resolver.GetFormatterWithVerify<T>();
        options.Security.DepthStep(ref reader);
        try
        {
            var count = reader.ReadArrayHeader();
            for (var i = 0; i < count; i++)
            {
                target.Add(formatter.Deserialize(ref reader, options));
            }

            return true;
        }
        finally
        {
            reader.Depth--;
        }
    }
}
