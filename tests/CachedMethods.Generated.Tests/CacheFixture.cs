namespace CachedMethods.Generated.Tests;

/// <summary>A real CacheManager with the memory and disk tiers over a temp folder of its own.</summary>
public sealed class CacheFixture : IDisposable
{
    /// <param name="diskPath">A disk folder to share with another process; by default a new one, deleted on dispose.</param>
    /// <param name="time">The engine's clock; a fake one lets a test move past a TTL without waiting.</param>
    public CacheFixture(string? diskPath = null, TimeProvider? time = null)
    {
        DiskPath = diskPath ?? Path.Combine(Path.GetTempPath(), "cachedmethods-generated-tests", Guid.NewGuid().ToString("N"));
        OwnsFolder = diskPath is null;
        Directory.CreateDirectory(DiskPath);
        Manager = Create(DiskPath, time);
    }

    public string DiskPath { get; }

    public CacheManager Manager { get; }

    private bool OwnsFolder { get; }

    /// <summary>The engine the tests and the probe process both use: memory and disk, no Redis.</summary>
    public static CacheManager Create(string diskPath, TimeProvider? time = null) => new(new CacheOptions
    {
        DiskCachePath = diskPath,
        MemoryCacheSizeMb = 16,
        DiskCacheSizeGb = 0.1,
        DefaultTtlSeconds = 600,
        TimeProvider = time ?? TimeProvider.System,
    });

    /// <summary>The storage ids of the entries on disk: their file names.</summary>
    public IReadOnlyList<string> StorageIdsOnDisk() =>
        Directory.EnumerateFiles(DiskPath, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name is { Length: 64 } && name.All(Uri.IsHexDigit))
            .Select(name => name!)
            .ToList();

    public void Dispose()
    {
        Manager.Dispose();
        if (OwnsFolder)
        {
            try
            {
                Directory.Delete(DiskPath, recursive: true);
            }
            catch (IOException)
            {
                // A write still closing; the OS temp cleaner takes the rest.
            }
        }
    }
}
