namespace CachedMethods.Tests.Keys;

/// <summary>Generated wrappers write the key's constant parts from UTF-8 literals: the bytes must not change.</summary>
public sealed class Utf8OverloadTests
{
    [Theory]
    [InlineData("Ns.IOcrService", "RecognizeAsync", "a310708d8e42e940", "documentHash")]
    [InlineData("", "", "", "")]
    [InlineData("Ünïcode.Türkçe", "İşle", "ff", "ı")]
    public void Utf8_and_string_overloads_write_the_same_bytes(string type, string method, string shape, string name)
    {
        var longName = new string('x', CacheKeyBuilder.InlineLimit + 10) + name;
        Assert.Equal(WithStrings(type, method, shape, name, longName), WithUtf8(type, method, shape, name, longName));
    }

    private static string WithStrings(string type, string method, string shape, string name, string longName)
    {
        var key = new CacheKeyBuilder(stackalloc byte[64]);
        try
        {
            key.AppendScope(type, method, 7, shape);
            key.AppendName(name);
            key.AppendName(longName);
            key.BeginObject(type);
            return Convert.ToHexString(key.Written);
        }
        finally
        {
            key.Dispose();
        }
    }

    private static string WithUtf8(string type, string method, string shape, string name, string longName)
    {
        var key = new CacheKeyBuilder(stackalloc byte[64]);
        try
        {
            key.AppendScope(System.Text.Encoding.UTF8.GetBytes(type), System.Text.Encoding.UTF8.GetBytes(method), 7, System.Text.Encoding.UTF8.GetBytes(shape));
            key.AppendName(System.Text.Encoding.UTF8.GetBytes(name));
            key.AppendName(System.Text.Encoding.UTF8.GetBytes(longName));
            key.BeginObject(System.Text.Encoding.UTF8.GetBytes(type));
            return Convert.ToHexString(key.Written);
        }
        finally
        {
            key.Dispose();
        }
    }
}
