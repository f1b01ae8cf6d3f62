using System.Numerics;
using CachedMethods.Serialization.Formatters;
using MessagePack.Formatters;

namespace CachedMethods.Serialization;

/// <summary>
/// The runtime types every cache can store without generated code, each with a formatter that reads back
/// exactly what was written. The generator's list of these types (KnownFormatters) must match this one;
/// a test checks that it does.
/// </summary>
internal static class BuiltInFormatters
{
    public static IMessagePackFormatter<T>? Get<T>() => (IMessagePackFormatter<T>?)Get(typeof(T));

    private static object? Get(Type type) =>
        type == typeof(string) ? ExactStringFormatter.Instance
        : type == typeof(bool) ? BooleanFormatter.Instance
        : type == typeof(char) ? CharFormatter.Instance
        : type == typeof(sbyte) ? SByteFormatter.Instance
        : type == typeof(byte) ? ByteFormatter.Instance
        : type == typeof(short) ? Int16Formatter.Instance
        : type == typeof(ushort) ? UInt16Formatter.Instance
        : type == typeof(int) ? Int32Formatter.Instance
        : type == typeof(uint) ? UInt32Formatter.Instance
        : type == typeof(long) ? Int64Formatter.Instance
        : type == typeof(ulong) ? UInt64Formatter.Instance
        : type == typeof(float) ? SingleFormatter.Instance
        : type == typeof(double) ? DoubleFormatter.Instance
        : type == typeof(Half) ? HalfFormatter.Instance
        : type == typeof(decimal) ? ExactDecimalFormatter.Instance
        : type == typeof(Int128) ? Int128Formatter.Instance
        : type == typeof(UInt128) ? UInt128Formatter.Instance
        : type == typeof(BigInteger) ? BigIntegerFormatter.Instance
        : type == typeof(DateTime) ? ExactDateTimeFormatter.Instance
        : type == typeof(DateTimeOffset) ? ExactDateTimeOffsetFormatter.Instance
        : type == typeof(TimeSpan) ? TimeSpanFormatter.Instance
        : type == typeof(DateOnly) ? DateOnlyFormatter.Instance
        : type == typeof(TimeOnly) ? TimeOnlyFormatter.Instance
        : type == typeof(Guid) ? GuidFormatter.Instance
        : type == typeof(Version) ? VersionFormatter.Instance
        : type == typeof(Uri) ? UriFormatter.Instance
        : type == typeof(byte[]) ? ByteArrayFormatter.Instance
        : NullableOf(type);

    /// <summary>The nullable forms of the value types above, for values given to the engine API directly.</summary>
    private static object? NullableOf(Type type) =>
        type == typeof(bool?) ? new NullableFormatter<bool>()
        : type == typeof(char?) ? new NullableFormatter<char>()
        : type == typeof(byte?) ? new NullableFormatter<byte>()
        : type == typeof(short?) ? new NullableFormatter<short>()
        : type == typeof(int?) ? new NullableFormatter<int>()
        : type == typeof(long?) ? new NullableFormatter<long>()
        : type == typeof(float?) ? new NullableFormatter<float>()
        : type == typeof(double?) ? new NullableFormatter<double>()
        : type == typeof(decimal?) ? new NullableFormatter<decimal>()
        : type == typeof(DateTime?) ? new NullableFormatter<DateTime>()
        : type == typeof(DateTimeOffset?) ? new NullableFormatter<DateTimeOffset>()
        : type == typeof(TimeSpan?) ? new NullableFormatter<TimeSpan>()
        : type == typeof(Guid?) ? new NullableFormatter<Guid>()
        : null;
}
