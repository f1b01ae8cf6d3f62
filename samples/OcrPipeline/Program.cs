// OcrPipeline: the CachedMethods sample. A batch of generated document scans goes through a [Cached]
// OCR service twice, cold then warm, and the cache statistics follow. See README.md beside this file.
using CachedMethods;
using OcrPipeline.Pipeline;

PipelineArguments arguments;
try
{
    arguments = PipelineArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(PipelineArguments.Usage);
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(PipelineArguments.Usage);
    return 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    return arguments switch
    {
        { WorkerId: not null } => await WorkerRun.RunAsync(arguments, cancellation.Token),
        { Workers: > 0 } => await WorkerPool.RunAsync(arguments, cancellation.Token),
        _ => await MainRun.RunAsync(arguments, cancellation.Token),
    };
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
catch (CacheConfigurationException e)
{
    Console.Error.WriteLine($"cache configuration: {e.Message}");
    return 2;
}
