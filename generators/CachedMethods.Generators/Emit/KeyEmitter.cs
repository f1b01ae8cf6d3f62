using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace CachedMethods.Generators.Emit;

/// <summary>Writes the statements that append key parts to a CacheKeyBuilder.</summary>
internal static class KeyEmitter
{
    /// <summary>
    /// Writes the key of one cached call: a CacheKeyBuilder on the stack, the scope and every key part,
    /// then <paramref name="body"/> while the key is alive, then its disposal. The cached method and its
    /// invalidation methods are all written by this one method, so they cannot build different keys.
    /// <paramref name="assignable"/>: whether a lazy sequence parameter is replaced by its materialized items.
    /// </summary>
    public static void WriteKeyBlock(SourceWriter writer, CachedCallModel call, string key, LocalNames names, bool assignable, System.Action body)
    {
        writer.WriteLine($"var {key} = new global::CachedMethods.CacheKeyBuilder(stackalloc byte[256]);");
        writer.WriteLine("try");
        writer.OpenBrace();
        writer.WriteLine($"{key}.AppendScope({Utf8(call.ScopeType)}, {Utf8(call.ScopeMethod)}, {call.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {Utf8(call.ResultShape)});");
        foreach (var part in call.KeyParts)
        {
            WritePart(writer, key, part, names, assignable);
        }

        body();
        writer.CloseBrace();
        writer.WriteLine("finally");
        writer.OpenBrace();
        writer.WriteLine($"{key}.Dispose();");
        writer.CloseBrace();
    }

    public static void WritePart(SourceWriter writer, string builder, KeyPartModel part, LocalNames names, bool assignable)
    {
        writer.WriteLine($"{builder}.AppendName({Utf8(part.Name)});");
        WriteValue(writer, builder, part.Shape, part.Access, names, assignable);
        if (part.Shape.Kind is KeyShapeKind.Nullable or KeyShapeKind.IndexedSequence or KeyShapeKind.CountedSequence or KeyShapeKind.EnumerableSequence)
        {
            writer.WriteLine();
        }
    }

    /// <summary>A generated WriteKey overload for one composite key type.</summary>
    public static void WriteEncoder(SourceWriter writer, ObjectEncoderModel encoder)
    {
        writer.WriteLine($"private static void WriteKey(ref global::CachedMethods.CacheKeyBuilder key, {encoder.Type}{(encoder.IsValueType ? string.Empty : "?")} value)");
        writer.OpenBrace();
        if (!encoder.IsValueType)
        {
            writer.WriteLine("if (value is null)");
            writer.OpenBrace();
            writer.WriteLine("key.AppendNull();");
            writer.WriteLine("return;");
            writer.CloseBrace();
            writer.WriteLine();
        }

        writer.WriteLine($"key.BeginObject({Utf8(encoder.TypeName)});");
        var names = new LocalNames(new[] { "key", "value" });
        foreach (var member in encoder.Members)
        {
            WritePart(writer, "key", member, names, assignable: false);
        }

        writer.CloseBrace();
    }

    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>
    /// A UTF-8 literal (<c>"dpi"u8</c>): the key's constant parts are bytes in the assembly, written with the
    /// same encoding as the string overloads but without encoding a string on every call.
    /// </summary>
    public static string Utf8(string value) => Literal(value) + "u8";

    private static void WriteValue(SourceWriter writer, string builder, KeyShape shape, string expression, LocalNames names, bool assignable)
    {
        switch (shape.Kind)
        {
            case KeyShapeKind.Append:
                writer.WriteLine($"{builder}.Append({expression});");
                break;
            case KeyShapeKind.MemoryBytes:
                writer.WriteLine($"{builder}.Append((global::System.ReadOnlyMemory<byte>){expression});");
                break;
            case KeyShapeKind.Enum:
                writer.WriteLine($"{builder}.AppendEnum({expression});");
                break;
            case KeyShapeKind.Encodable:
                writer.WriteLine($"{builder}.AppendEncodable({expression});");
                break;
            case KeyShapeKind.Object:
                writer.WriteLine($"WriteKey(ref {builder}, {expression});");
                break;
            case KeyShapeKind.Nullable:
                var value = names.Next("value");
                writer.WriteLine($"if ({expression} is {{ }} {value})");
                writer.OpenBrace();
                WriteValue(writer, builder, shape.Element!, value, names, assignable: false);
                writer.CloseBrace();
                WriteElseNull(writer, builder);
                break;
            case KeyShapeKind.IndexedSequence:
                expression = WriteNullCheck(writer, builder, shape, expression, names);
                writer.WriteLine($"{builder}.BeginSequence({expression}.{shape.CountMember});");
                var index = names.Next("i");
                writer.WriteLine($"for (var {index} = 0; {index} < {expression}.{shape.CountMember}; {index}++)");
                writer.OpenBrace();
                WriteValue(writer, builder, shape.Element!, $"{expression}[{index}]", names, assignable: false);
                writer.CloseBrace();
                CloseNullCheck(writer, shape);
                break;
            case KeyShapeKind.CountedSequence:
                expression = WriteNullCheck(writer, builder, shape, expression, names);
                writer.WriteLine($"{builder}.BeginSequence({expression}.Count);");
                WriteForEach(writer, builder, shape, expression, names);
                CloseNullCheck(writer, shape);
                break;
            case KeyShapeKind.EnumerableSequence:
                var declared = expression;
                expression = WriteNullCheck(writer, builder, shape, expression, names);
                var items = names.Next("items");
                var elementType = ElementTypeOf(shape);

                // Materialized once: a lazy sequence is enumerated here and never again.
                writer.WriteLine($"var {items} = {expression} as global::System.Collections.Generic.IReadOnlyCollection<{elementType}> ?? global::System.Linq.Enumerable.ToArray({expression});");
                if (assignable)
                {
                    writer.WriteLine($"{declared} = {items};");
                }

                writer.WriteLine($"{builder}.BeginSequence({items}.Count);");
                WriteForEach(writer, builder, shape, items, names);
                CloseNullCheck(writer, shape);
                break;
        }
    }

    private static void WriteForEach(SourceWriter writer, string builder, KeyShape shape, string expression, LocalNames names)
    {
        var item = names.Next("item");
        writer.WriteLine($"foreach (var {item} in {expression})");
        writer.OpenBrace();
        WriteValue(writer, builder, shape.Element!, item, names, assignable: false);
        writer.CloseBrace();
    }

    private static string ElementTypeOf(KeyShape shape)
    {
        // The declared IEnumerable<T>'s T, as written in the parameter's type.
        var type = shape.Type.TrimEnd('?');
        var open = type.IndexOf('<');
        return type.Substring(open + 1, type.Length - open - 2);
    }

    /// <summary>
    /// Opens "if null, write null; else" and returns the expression to read the value with. A
    /// non-nullable parameter is tested through a copy, so the test does not make the compiler think
    /// the parameter itself may be null when it is passed on.
    /// </summary>
    private static string WriteNullCheck(SourceWriter writer, string builder, KeyShape shape, string expression, LocalNames names)
    {
        if (!shape.IsReferenceType)
        {
            return expression;
        }

        var tested = expression;
        if (!shape.Type.EndsWith("?", System.StringComparison.Ordinal))
        {
            tested = names.Next("sequence");
            writer.WriteLine($"var {tested} = {expression};");
        }

        writer.WriteLine($"if ({tested} is null)");
        writer.OpenBrace();
        writer.WriteLine($"{builder}.AppendNull();");
        writer.CloseBrace();
        writer.WriteLine("else");
        writer.OpenBrace();
        return tested;
    }

    private static void CloseNullCheck(SourceWriter writer, KeyShape shape)
    {
        if (shape.IsReferenceType)
        {
            writer.CloseBrace();
        }
    }

    private static void WriteElseNull(SourceWriter writer, string builder)
    {
        writer.WriteLine("else");
        writer.OpenBrace();
        writer.WriteLine($"{builder}.AppendNull();");
        writer.CloseBrace();
    }
}
