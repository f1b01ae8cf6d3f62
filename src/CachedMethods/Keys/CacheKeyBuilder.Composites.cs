using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CachedMethods;

// Sequences, objects, tuples, type arguments, and unordered collections (sets, dictionaries) in canonical order.
public ref partial struct CacheKeyBuilder
{
    /// <summary>Starts a sequence of <paramref name="count"/> elements; write each element after it.</summary>
    public void BeginSequence(int count)
    {
        WriteTag(KeyTag.Sequence);
        WriteVarUInt((uint)count);
    }

    /// <summary>Starts a composite value of type <paramref name="typeName"/>; write its members after it.</summary>
    public void BeginObject(string typeName)
    {
        WriteTag(KeyTag.Object);
        WriteString(typeName);
    }

    /// <summary>The start of <see cref="BeginObject(string)"/> from a UTF-8 literal: the same bytes.</summary>
    public void BeginObject(ReadOnlySpan<byte> typeNameUtf8)
    {
        WriteTag(KeyTag.Object);
        WriteBytesOrDigest(typeNameUtf8);
    }

    /// <summary>Writes a value that encodes itself.</summary>
    public void AppendEncodable<T>(T? value) where T : ICacheKeyEncodable
    {
        if (value is null)
        {
            AppendNull();
            return;
        }

        value.WriteCacheKey(ref this);
    }

    /// <summary>
    /// Writes the type argument <typeparamref name="T"/> of a generic cached method, by its full name, so
    /// <c>Load&lt;Invoice&gt;("7")</c> and <c>Load&lt;Order&gt;("7")</c> are two keys. The name is computed once per type.
    /// </summary>
    public void AppendTypeArgument<T>()
    {
        WriteTag(KeyTag.TypeArgument);
        WriteBytesOrDigest(TypeArgumentName<T>.Utf8);
    }

    /// <summary>Starts a tuple (a value tuple, a <see cref="KeyValuePair{TKey, TValue}"/>) of <paramref name="arity"/> items; write each item after it.</summary>
    public void BeginTuple(int arity)
    {
        WriteTag(KeyTag.Tuple);
        WriteVarUInt((uint)arity);
    }

    /// <summary>
    /// Starts an unordered collection (a set, or a dictionary's entries). Call <see cref="NextElement"/>
    /// before each element and <see cref="EndUnordered"/> after the last: the elements are then written
    /// sorted by their encoding, so two sets with the same elements have the same key whatever their order.
    /// </summary>
    public readonly UnorderedScope BeginUnordered() => new(_position);

    /// <summary>Marks the start of the next element of an unordered collection.</summary>
    public void NextElement(ref UnorderedScope scope)
    {
        CloseElement(ref scope);
        scope.Last = _position;
        scope.Count++;
        Reserve(4);
    }

    /// <summary>Writes the elements since <see cref="BeginUnordered"/> as a count and the elements in byte order.</summary>
    public void EndUnordered(ref UnorderedScope scope)
    {
        CloseElement(ref scope);
        var start = scope.Start;
        var length = _position - start;
        var count = scope.Count;
        var scratch = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        var segments = ArrayPool<int>.Shared.Rent(Math.Max(count * 2, 2));
        try
        {
            _buffer.Slice(start, length).CopyTo(scratch);
            var offset = 0;
            for (var i = 0; i < count; i++)
            {
                var size = BinaryPrimitives.ReadInt32LittleEndian(scratch.AsSpan(offset));
                segments[i * 2] = offset + 4;
                segments[(i * 2) + 1] = size;
                offset += 4 + size;
            }

            UnorderedSort.Sort(scratch, segments.AsSpan(0, count * 2));
            _position = start;
            WriteTag(KeyTag.Unordered);
            WriteVarUInt((uint)count);
            for (var i = 0; i < count; i++)
            {
                scratch.AsSpan(segments[i * 2], segments[(i * 2) + 1]).CopyTo(Reserve(segments[(i * 2) + 1]));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(segments);
            ArrayPool<byte>.Shared.Return(scratch);
        }

        scope = default;
    }

    private readonly void CloseElement(ref UnorderedScope scope)
    {
        if (scope.Count > 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.Slice(scope.Last, 4), _position - scope.Last - 4);
        }
    }
}

/// <summary>The UTF-8 name of a type argument, computed once per type so keys of generic methods allocate nothing.</summary>
file static class TypeArgumentName<T>
{
    public static readonly byte[] Utf8 = Encoding.UTF8.GetBytes(typeof(T).ToString());
}

/// <summary>
/// Sorts the elements of an unordered collection by their bytes, in place and without allocating: a heap
/// sort over (offset, length) pairs into one scratch buffer.
/// </summary>
file static class UnorderedSort
{
    public static void Sort(byte[] data, Span<int> pairs)
    {
        var count = pairs.Length / 2;
        for (var i = (count / 2) - 1; i >= 0; i--)
        {
            SiftDown(data, pairs, i, count);
        }

        for (var end = count - 1; end > 0; end--)
        {
            Swap(pairs, 0, end);
            SiftDown(data, pairs, 0, end);
        }
    }

    private static void SiftDown(byte[] data, Span<int> pairs, int root, int count)
    {
        while (true)
        {
            var child = (root * 2) + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && Compare(data, pairs, child + 1, child) > 0)
            {
                child++;
            }

            if (Compare(data, pairs, root, child) >= 0)
            {
                return;
            }

            Swap(pairs, root, child);
            root = child;
        }
    }

    private static int Compare(byte[] data, Span<int> pairs, int a, int b) =>
        data.AsSpan(pairs[a * 2], pairs[(a * 2) + 1]).SequenceCompareTo(data.AsSpan(pairs[b * 2], pairs[(b * 2) + 1]));

    private static void Swap(Span<int> pairs, int a, int b)
    {
        (pairs[a * 2], pairs[b * 2]) = (pairs[b * 2], pairs[a * 2]);
        (pairs[(a * 2) + 1], pairs[(b * 2) + 1]) = (pairs[(b * 2) + 1], pairs[(a * 2) + 1]);
    }
}
