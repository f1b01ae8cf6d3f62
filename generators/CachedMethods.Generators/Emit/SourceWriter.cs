using System.Text;

namespace CachedMethods.Generators.Emit;

/// <summary>An indented text writer for generated C# (after dotnet/runtime's SourceWriter).</summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void WriteLine(string text)
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * IndentSize);
        }

        _builder.Append(text).Append('\n');
    }

    public void WriteLine() => _builder.Append('\n');

    /// <summary>Writes "{" and indents.</summary>
    public void OpenBrace()
    {
        WriteLine("{");
        _indent++;
    }

    /// <summary>Unindents and writes "}" followed by <paramref name="suffix"/>.</summary>
    public void CloseBrace(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public override string ToString() => _builder.ToString();
}
