using System.Text;

namespace CachedMethods.Internal;

/// <summary>
/// The UTF-8 name of <typeparamref name="T"/> as written into envelopes: namespace-qualified, without
/// assembly versions, so a redeploy keeps entries while a different type never reads them.
/// </summary>
internal static class ValueTypeName<T>
{
    public static readonly byte[] Utf8 = Encoding.UTF8.GetBytes(typeof(T).ToString());
}
