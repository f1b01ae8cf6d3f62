using System.ComponentModel;
using MessagePack;

namespace CachedMethods.Serialization;

/// <summary>Checks that generated formatters call; kept here so the generated code stays short.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedFormatterChecks
{
    /// <summary>Refuses a derived instance where <paramref name="declared"/> is stored: it would be read back as the base.</summary>
    /// <exception cref="MessagePackSerializationException">The value is of a derived type.</exception>
    public static void ExactType(object value, Type declared)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.GetType() != declared)
        {
            throw new MessagePackSerializationException(
                $"A {value.GetType().FullName} was given where {declared.FullName} is stored; it would be read back as {declared.Name} and lose what it adds. Return {declared.Name} itself, or declare the result as the derived type.");
        }
    }

    /// <summary>Checks the member count read from untrusted bytes against the count the formatter writes.</summary>
    /// <exception cref="MessagePackSerializationException">The counts differ: the bytes are not this type's.</exception>
    public static void MemberCount(int read, int expected, Type type)
    {
        if (read != expected)
        {
            throw new MessagePackSerializationException($"{type.FullName} is stored as {expected} members; the payload has {read}.");
        }
    }
}
