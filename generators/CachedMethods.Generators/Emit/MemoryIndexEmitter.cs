using System.Linq;
using CachedMethods.Generators.Model;

namespace CachedMethods.Generators.Emit;

/// <summary>
/// Writes a decorator's memory index of a cached method: a hit found from the arguments themselves,
/// before any key is written (see <c>MemoryIndex&lt;TArgs&gt;</c> in the runtime). Only where equal
/// arguments always write equal keys: a non-generic method cached in memory whose every key parameter
/// is an integer, bool, char, string, Guid or enum. Anything else keeps the canonical-key path alone.
/// </summary>
internal static class MemoryIndexEmitter
{
    private static readonly string[] ExactTypes =
    [
        "bool", "char", "sbyte", "byte", "short", "ushort", "int", "uint", "long", "ulong", "string", "string?", "global::System.Guid",
    ];

    public static bool IsIndexed(MemberModel member, CachedCallModel call) =>
        member.TypeParameters.Length == 0
        && call.TargetOwner == TargetOwner.Inner
        && (call.Options.Tiers & 1) != 0
        && call.KeyParts.Count is > 0 and <= 7
        && call.KeyParts.All(static p => p.Shape.Kind == KeyShapeKind.Enum || (p.Shape.Kind == KeyShapeKind.Append && ExactTypes.Contains(p.Shape.Type)));

    public static string FieldName(CachedCallModel call) =>
        call.OptionsField.StartsWith("s_", System.StringComparison.Ordinal) && call.OptionsField.EndsWith("Options", System.StringComparison.Ordinal)
            ? "_" + call.OptionsField.Substring(2, call.OptionsField.Length - 2 - "Options".Length) + "Index"
            : "_" + call.OptionsField + "Index";

    public static string ArgsType(CachedCallModel call) =>
        $"global::System.ValueTuple<{string.Join(", ", call.KeyParts.Select(static p => p.Shape.Type))}>";

    public static string ArgsValue(CachedCallModel call) =>
        $"new {ArgsType(call)}({string.Join(", ", call.KeyParts.Select(static p => p.Access))})";

    /// <summary>The index, and the object that names its call site to the engine (one index per site and engine).</summary>
    public static void WriteFields(SourceWriter writer, CachedCallModel call)
    {
        writer.WriteLine($"private static readonly object s{FieldName(call)}Site = new();");
        writer.WriteLine($"private readonly global::CachedMethods.MemoryIndex<{ArgsType(call)}> {FieldName(call)};");
    }

    public static void WriteInitializer(SourceWriter writer, CachedCallModel call) =>
        writer.WriteLine($"{FieldName(call)} = _cache.GetMemoryIndex<{ArgsType(call)}>(s{FieldName(call)}Site);");

    /// <summary>The hit through the index: the arguments into a tuple, one lookup, and a return.</summary>
    public static void WriteHit(SourceWriter writer, CachedCallModel call, string args, string hit)
    {
        writer.WriteLine($"var {args} = {ArgsValue(call)};");
        // A Task<T> hit returns the completed task the engine keeps with the entry: no allocation per hit.
        var tryGet = call.ReturnKind == ReturnKind.Task ? "TryGetTask" : "TryGet";
        writer.WriteLine($"if (this.{FieldName(call)}.{tryGet}<{call.ResultType}>({args}, out var {hit}))");
        writer.OpenBrace();
        writer.WriteLine(call.ReturnKind == ReturnKind.ValueTask
            ? $"return new global::System.Threading.Tasks.ValueTask<{call.ResultType}>({hit});"
            : $"return {hit};");
        writer.CloseBrace();
        writer.WriteLine();
    }
}
