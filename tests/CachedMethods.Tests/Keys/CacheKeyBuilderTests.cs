namespace CachedMethods.Tests.Keys;

public class CacheKeyBuilderTests
{
    private enum Small : byte
    {
        One = 1,
    }

    private enum Negative : sbyte
    {
        MinusOne = -1,
    }

    private enum Wide : long
    {
        Big = long.MaxValue,
    }

    private delegate void Write(ref CacheKeyBuilder builder);

    private static byte[] Encode(Write write, int initialBuffer = 512)
    {
        var builder = new CacheKeyBuilder(new byte[initialBuffer]);
        try
        {
            write(ref builder);
            return builder.Written.ToArray();
        }
        finally
        {
            builder.Dispose();
        }
    }

    public static TheoryData<string, object> TypedValues => new()
    {
        { "int", 42 },
        { "long", -42L },
        { "string", "grüße ıİ" },
        { "double", -0.0 },
        { "decimal", 12.50m },
        { "date", new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Local) },
        { "guid", new Guid("6f9619ff-8b86-d011-b42d-00c04fc964ff") },
        { "bytes", new byte[] { 9, 8, 7 } },
        { "small enum", Small.One },
        { "negative enum", Negative.MinusOne },
        { "wide enum", Wide.Big },
    };

    [Theory]
    [MemberData(nameof(TypedValues))]
    public void The_boxed_encoding_matches_the_typed_one(string what, object value)
    {
        var boxed = Encode((ref CacheKeyBuilder b) => b.AppendObject(value, what));
        var typed = Encode((ref CacheKeyBuilder b) =>
        {
            switch (value)
            {
                case int i: b.Append(i); break;
                case long l: b.Append(l); break;
                case string s: b.Append(s); break;
                case double d: b.Append(d); break;
                case decimal m: b.Append(m); break;
                case DateTime t: b.Append(t); break;
                case Guid g: b.Append(g); break;
                case byte[] bytes: b.Append(bytes); break;
                case Small e: b.AppendEnum(e); break;
                case Negative e: b.AppendEnum(e); break;
                case Wide e: b.AppendEnum(e); break;
                default: throw new InvalidOperationException(what);
            }
        });

        Assert.Equal(typed, boxed);
    }

    [Fact]
    public void A_key_that_outgrows_its_initial_buffer_is_written_the_same()
    {
        static void WriteMany(ref CacheKeyBuilder b)
        {
            b.AppendScope("Ocr.Service", "Recognize", 3, "OcrPage{Text:string}");
            for (var i = 0; i < 200; i++)
            {
                b.AppendName("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                b.Append(i);
                b.Append(new string('z', i));
            }
        }

        var roomy = Encode(WriteMany, initialBuffer: 1 << 20);
        var tight = Encode(WriteMany, initialBuffer: 4);

        Assert.Equal(roomy, tight);
    }

    [Fact]
    public void Null_string_and_null_bytes_are_written_as_null()
    {
        var nullString = Encode((ref CacheKeyBuilder b) => b.Append((string?)null));
        var nullBytes = Encode((ref CacheKeyBuilder b) => b.Append((byte[]?)null));
        var nullTag = Encode((ref CacheKeyBuilder b) => b.AppendNull());
        var empty = Encode((ref CacheKeyBuilder b) => b.Append(""));

        Assert.Equal(nullTag, nullString);
        Assert.Equal(nullTag, nullBytes);
        Assert.NotEqual(nullTag, empty);
    }

    [Fact]
    public void The_scope_version_and_result_shape_change_the_key()
    {
        var v1 = Encode((ref CacheKeyBuilder b) => b.AppendScope("T", "M", 1, "shape"));
        var v2 = Encode((ref CacheKeyBuilder b) => b.AppendScope("T", "M", 2, "shape"));
        var otherShape = Encode((ref CacheKeyBuilder b) => b.AppendScope("T", "M", 1, "shape2"));
        var moved = Encode((ref CacheKeyBuilder b) => b.AppendScope("TM", "", 1, "shape"));

        Assert.Equal(4, new[] { v1, v2, otherShape, moved }.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void ComputeHash_is_the_hash_of_the_written_bytes()
    {
        var builder = new CacheKeyBuilder(stackalloc byte[64]);
        try
        {
            builder.AppendRawKey("some key");
            var key = builder.ToCacheKey();
            Assert.Equal(key.Hash, builder.ComputeHash());
            Assert.Equal(CacheKey.FromString("some key"), key);
        }
        finally
        {
            builder.Dispose();
        }
    }
}
