namespace CachedMethods;

/// <summary>The tiers of the engine, as flags: <c>CacheTiers.Memory | CacheTiers.Redis</c>.</summary>
[Flags]
public enum CacheTiers
{
    /// <summary>No tier.</summary>
    None = 0,
    /// <summary>The in-process memory tier.</summary>
    Memory = 1,
    /// <summary>The Redis tier shared by every process.</summary>
    Redis = 2,
    /// <summary>The persistent tier: local disk, or S3 on AWS Batch.</summary>
    Persistent = 4,
    /// <summary>Every tier.</summary>
    All = Memory | Redis | Persistent,
}
