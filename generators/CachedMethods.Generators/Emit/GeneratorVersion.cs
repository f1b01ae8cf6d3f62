using System.Reflection;

namespace CachedMethods.Generators.Emit;

/// <summary>
/// The version written into <c>[GeneratedCode]</c>: the generator assembly's own informational version
/// (the package version), so generated code names the generator that wrote it without a literal to keep in step.
/// </summary>
internal static class GeneratorVersion
{
    public static readonly string Value = Read();

    private static string Read()
    {
        var assembly = typeof(GeneratorVersion).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        // Source Link appends "+{commit}"; generated code must not change with every commit.
        var plus = informational!.IndexOf('+');
        return plus < 0 ? informational : informational.Substring(0, plus);
    }
}
