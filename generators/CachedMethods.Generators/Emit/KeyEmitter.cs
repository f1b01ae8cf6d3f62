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
        foreach (var typeArgument in call.TypeArguments)
        {
            writer.WriteLine($"{key}.AppendTypeArgument<{typeArgument}>();");
        }

        foreach (var part in call.KeyParts)
        {
            WritePart(writer, key, part, names, assignable, call.SelfType);
        }

        body();
        writer.CloseBrace();
        writer.WriteLine("finally");
        writer.OpenBrace();
        writer.WriteLine($"{key}.Dispose();");
        writer.CloseBrace();
    }

    public static void WritePart(SourceWriter writer, string builder, KeyPartModel part, LocalNames names, bool assignable, string selfType)
    {
        writer.WriteLine($"{builder}.AppendName({Utf8(part.Name)});");
        WriteValue(writer, builder, part.Shape, part.Access, names, assignable, selfType);
        if (part.Shape.Kind is KeyShapeKind.Nullable or KeyShapeKind.IndexedSequence or KeyShapeKind.CountedSequence or KeyShapeKind.EnumerableSequence
            or KeyShapeKind.UnorderedSet or KeyShapeKind.UnorderedPairs or KeyShapeKind.ImmutableArray)
        {
            writer.WriteLine();
        }
    }

    /// <summary>A generated WriteKey overload for one composite key type.</summary>
    public static void WriteEncoder(SourceWriter writer, ObjectEncoderModel encoder, string selfType)
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
            WritePart(writer, "key", member, names, assignable: false, selfType);
        }

        writer.CloseBrace();
    }

    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>
    /// A UTF-8 literal (<c>"dpi"u8</c>): the key's constant parts are bytes in the assembly, written with the
    /// same encoding as the string overloads but without encoding a string on every call.
    /// </summary>
    public static string Utf8(string value) => Literal(value) + "u8";

    private static void WriteValue(SourceWriter writer, string builder, KeyShape shape, string expression, LocalNames names, bool assignable, string selfType)
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
            case KeyShapeKind.Encodable or KeyShapeKind.TypeParameterEncodable:
                writer.WriteLine($"{builder}.AppendEncodable({expression});");
                break;
            case KeyShapeKind.Object:
                // Through the generated type's name: a parameter called WriteKey cannot shadow it.
                writer.WriteLine($"{selfType}.WriteKey(ref {builder}, {expression});");
                break;
            case KeyShapeKind.Tuple:
                expression = WriteNullCheck(writer, builder, shape, expression, names);
                writer.WriteLine($"{builder}.BeginTuple({shape.Items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)});");
                foreach (var item in shape.Items)
                {
                    WriteValue(writer, builder, item.Shape, $"{expression}.{item.Access}", names, assignable: false, selfType);
                }

                CloseNullCheck(writer, shape);
                break;
            case KeyShapeKind.ImmutableArray:
                writer.WriteLine($"if ({expression}.IsDefault)");
                writer.OpenBrace();
                writer.WriteLine($"{builder}.AppendNull();");
                writer.CloseBrace();
                writer.WriteLine("else");
                writer.OpenBrace();
                writer.WriteLine($"{builder}.BeginSequence({expression}.Length);");
                var position = names.Next("i");
                writer.WriteLine($"for (var {position} = 0; {position} < {expression}.Length; {position}++)");
                writer.OpenBrace();
                WriteValue(writer, builder, shape.Element!, $"{expression}[{position}]", names, assignable: false, selfType);
                writer.CloseBrace();
                writer.CloseBrace();
                break;
            case KeyShapeKind.UnorderedSet or KeyShapeKind.UnorderedPairs:
                expression = WriteNullCheck(writer, builder, shape, expression, names);
                var scope = names.Next("unordered");
                var element = names.Next(shape.Kind == KeyShapeKind.UnorderedSet ? "item" : "entry");

                // Sorted by their encoding when the scope ends: equal sets and dictionaries get one key whatever their order.
                writer.WriteLine($"var {scope} = {builder}.BeginUnordered();");
                writer.WriteLine($"foreach (var {element} in {expression})");
                writer.OpenBrace();
                writer.WriteLine($"{builder}.NextElement(ref {scope});");
                if (shape.Kind == KeyShapeKind.UnorderedSet)
                {
                    WriteValue(writer, builder, shape.Element!, element, names, assignable: false, selfType);
                }
                else
                {
                    foreach (var item in shape.Items)
                    {
                        WriteValue(writer, builder, item.Shape, $"{element}.{item.Access}", names, assignable: false, selfType);
                    }
                }

                writer.CloseBrace();
                writer.WriteLine($"{builder}.EndUnordered(ref {scope});");
                CloseNullCheck(writer, shape);
                break;
            case KeyShapeKind.Nullable:
                var value = names.Next("value");
                writer.WriteLine($"if ({expression} is {{ }} {value})");
                writer.OpenBrace();
                WriteValue(writer, builder, shape.Element!, value, names, assignable: false, selfType);
                writer.CloseBrace();
                WriteElseNull(writer, builder);
                break;
            case KeyShapeKind.IndexedSequence:
                expression = WriteNullCheck(writer, builder, shape, expression, names);
                writer.WriteLine($"{builder}.BeginSequence({expression}.{shape.CountMember});");
                var index = names.Next("i");
                writer.WriteLine($"for (var {index} = 0; {index} < {expression}.{shape.CountMember}; {index}++)");
                writer.OpenBrace();
                WriteValue(writer, builder, shape.Element!, $"{expression}[{index}]", names, assignable: false, selfType);
                writer.CloseBrace();
                CloseNullCheck(writer, shape);
                break;
            case KeyShapeKind.CountedSequence:
                expression = WriteNullCheck(writer, builder, shape, expression, names);
                writer.WriteLine($"{builder}.BeginSequence({expression}.Count);");
                WriteForEach(writer, builder, shape, expression, names, selfType);
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
                WriteForEach(writer, builder, shape, items, names, selfType);
                CloseNullCheck(writer, shape);
                break;
        }
    }

    private static void WriteForEach(SourceWriter writer, string builder, KeyShape shape, string expression, LocalNames names, string selfType)
    {
        var item = names.Next("item");
        writer.WriteLine($"foreach (var {item} in {expression})");
        writer.OpenBrace();
        WriteValue(writer, builder, shape.Element!, item, names, assignable: false, selfType);
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
