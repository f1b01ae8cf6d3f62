using System.Linq;
using CachedMethods.Generators.Model;

namespace CachedMethods.Generators.Emit;

/// <summary>
/// Writes the strongly typed invalidation method of a cached method: <c>bool InvalidateX(key parameters)</c>
/// for a synchronous <c>X</c>, <c>ValueTask&lt;bool&gt; InvalidateXAsync(key parameters, cancellationToken)</c>
/// for an asynchronous <c>XAsync</c>. Its parameters are exactly the key parameters, so a call that does
/// not match the method's key does not compile, and it builds the key with the same code as the cached
/// method (<see cref="KeyEmitter.WriteKeyBlock"/>).
/// </summary>
internal static class InvalidatorEmitter
{
    public static void Write(SourceWriter writer, MemberModel member, CachedCallModel call)
    {
        if (call.Invalidators is not { } invalidators)
        {
            return;
        }

        writer.WriteLine();
        WriteOne(writer, member, call, invalidators, invalidators.Name, invalidators.IsAsync);
    }

    private static void WriteOne(SourceWriter writer, MemberModel member, CachedCallModel call, InvalidatorModel invalidators, string name, bool isAsync)
    {
        var names = TargetEmitter.LocalNamesFor(invalidators.Parameters.Select(p => p.Name), call);
        var parameters = invalidators.Parameters.Select(p => $"{p.Type} {p.Name}").ToList();
        var token = string.Empty;
        if (isAsync)
        {
            token = names.Take("cancellationToken");
            parameters.Add($"global::System.Threading.CancellationToken {token} = default");
        }

        var key = names.Take("key");
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// Removes the result of <c>{member.Name.TrimStart('@')}</c> cached for these arguments from every tier, and");
        writer.WriteLine("/// tells the other processes to drop their memory copies. Returns <see langword=\"true\"/> when a tier held it.");
        writer.WriteLine("/// </summary>");

        // The attribute also tells the analyzer that this member is the generator's, not a name the user took (CM0019).
        writer.WriteLine(TargetEmitter.GeneratedCodeAttribute);
        var returnType = isAsync ? "global::System.Threading.Tasks.ValueTask<bool>" : "bool";
        writer.WriteLine($"{invalidators.Modifiers} {returnType} {name}{invalidators.TypeParameters}({string.Join(", ", parameters)})");
        writer.Indent();
        foreach (var constraint in invalidators.Constraints)
        {
            writer.WriteLine(constraint);
        }

        writer.Unindent();
        writer.OpenBrace();
        var cache = TargetEmitter.WriteCacheLocal(writer, call, names);
        KeyEmitter.WriteKeyBlock(writer, call, key, names, assignable: false, () =>
            writer.WriteLine(isAsync
                ? $"return {cache}.DeleteAsync({key}.ToCacheKey(), {token});"
                : $"return {cache}.Delete({key}.ToCacheKey());"));
        writer.CloseBrace();
    }
}
