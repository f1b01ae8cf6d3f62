using CachedMethods.TestSupport;

namespace CachedMethods.Tests.Infrastructure;

/// <summary>A temp folder of one test, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string purpose) => Path = TestEnvironment.NewTempFolder(purpose);

    public string Path { get; }

    public void Dispose() => TestEnvironment.DeleteFolder(Path);
}
