namespace CachedMethods;

/// <summary>Where the process runs, detected from the environment by <see cref="CacheOptions.FromEnvironment()"/>.</summary>
public enum CacheEnvironment
{
    /// <summary>The main process of a server: 512 MB memory tier, Redis, disk.</summary>
    Main,
    /// <summary>A worker process (<c>CELERY_WORKER_ID</c> or <c>CACHE_WORKER_ID</c> set): 128 MB, Redis, a disk folder of its own.</summary>
    Worker,
    /// <summary>An AWS Batch job (<c>AWS_BATCH_JOB_ID</c> set): 128 MB, Redis when configured, S3.</summary>
    AwsBatch,
}
