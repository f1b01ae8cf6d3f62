using CachedMethods.Generated.Tests.Services;

namespace CachedMethods.Generated.Tests;

/// <summary>
/// The entry point of this test assembly. Under the test runner it is never called; run as
/// <c>dotnet exec CachedMethods.Generated.Tests.dll probe &lt;disk path&gt;</c> it is the second process
/// of <see cref="CrossProcessTests"/>: it makes the same call over the same disk folder and prints
/// how often the inner service ran.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is not ["probe", var diskPath])
        {
            Console.Error.WriteLine("usage: probe <disk path>");
            return 2;
        }

        var inner = new CountingOcrService();
        using (var manager = CacheFixture.Create(diskPath))
        {
            var service = new CachedOcrService(inner, manager);
            Console.WriteLine($"result={CrossProcessTests.Call(service)}");
        }

        Console.WriteLine($"calls={inner.Calls}");
        return 0;
    }
}
