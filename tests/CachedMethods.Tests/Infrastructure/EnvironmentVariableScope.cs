namespace CachedMethods.Tests.Infrastructure;

/// <summary>
/// Sets process environment variables for one test and restores them on dispose. Only tests in the
/// <see cref="ProcessEnvironmentCollection"/> may use it: the process environment is shared.
/// </summary>
public sealed class EnvironmentVariableScope : IDisposable
{
    /// <summary>Every variable the engine reads; a scope clears those it is not given.</summary>
    public static readonly string[] EngineVariables =
    [
        "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD", "MEMORY_CACHE_SIZE_MB",
        "DISK_CACHE_SIZE_GB", "DISK_CACHE_PATH", "S3_CACHE_BUCKET", "S3_CACHE_REGION", "S3_CACHE_SERVICE_URL",
        "CELERY_WORKER_ID", "CACHE_WORKER_ID", "AWS_BATCH_JOB_ID",
    ];

    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    public EnvironmentVariableScope(IReadOnlyDictionary<string, string?> values)
    {
        foreach (var name in EngineVariables.Concat(values.Keys).Distinct(StringComparer.Ordinal))
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, values.TryGetValue(name, out var value) ? value : null);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

/// <summary>Tests that read or write the real process environment: run alone, never in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
