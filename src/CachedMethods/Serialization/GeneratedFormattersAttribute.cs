using System.ComponentModel;

namespace CachedMethods.Serialization;

/// <summary>
/// Lists the types a generated resolver has formatters for. Written by the generator on its resolver, and
/// read only at compile time, by the analyzer that reports CM0041; nothing reads it at run time.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GeneratedFormattersAttribute(params Type[] types) : Attribute
{
    /// <summary>The types with a generated or instantiated formatter.</summary>
    public IReadOnlyList<Type> Types { get; } = types;
}
