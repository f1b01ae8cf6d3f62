using System.Collections.Generic;
using System.Threading;
using CachedMethods.Generators.Model;
using Microsoft.CodeAnalysis;

namespace CachedMethods.Generators.Parsing;

/// <summary>
/// The roots of the generated formatters named by [CacheSerializable] on the assembly or a class (the stored
/// types of [Cached] methods come with their <see cref="TargetModel"/>). Each root is walked by
/// <see cref="ValueShapeWalker"/>; a root that cannot be stored exactly yields nothing here (its diagnostic
/// comes from the analyzer).
/// </summary>
internal static class FormatterRootParser
{
    public const string CacheSerializableAttribute = "CachedMethods.CacheSerializableAttribute";

    public static EquatableArray<FormatterModel> FromSerializable(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var formatters = new List<FormatterModel>();
        foreach (var attribute in context.Attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TypeOf(attribute) is { } type)
            {
                formatters.AddRange(ValueShapeWalker.Walk(type, context.SemanticModel.Compilation.Assembly).Formatters);
            }
        }

        return formatters.ToEquatableArray();
    }

    /// <summary>The type of a [CacheSerializable(typeof(T))], or <see langword="null"/> while the argument does not bind.</summary>
    public static ITypeSymbol? TypeOf(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0] is { Kind: TypedConstantKind.Type, Value: ITypeSymbol type }
            ? type
            : null;
}
