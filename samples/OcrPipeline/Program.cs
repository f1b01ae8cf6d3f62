// OcrPipeline: the CachedMethods sample. A batch of generated document scans goes through a [Cached]
// OCR service twice, cold then warm, and the cache statistics follow. See README.md beside this file.
using CachedMethods;
using OcrPipeline.Pipeline;

var command = PipelineCommand.Create(RunAsync);
var parsed = command.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine();
    Console.Error.WriteLine(PipelineCommand.UsageLine);
    Console.Error.WriteLine("       --help lists every option.");
    return 2;
}

return await parsed.InvokeAsync();

static async Task<int> RunAsync(PipelineArguments arguments, CancellationToken cancellationToken)
{
    using var metrics = MetricsExport.Start(arguments.Metrics, Console.Out);
    try
    {
        return arguments switch
        {
            { WorkerId: not null } => await WorkerRun.RunAsync(arguments, cancellationToken),
            { Workers: > 0 } => await WorkerPool.RunAsync(arguments, cancellationToken),
            _ => await MainRun.RunAsync(arguments, cancellationToken),
        };
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        Console.Error.WriteLine("cancelled");
        return 130;
    }
    catch (CacheConfigurationException e)
    {
        Console.Error.WriteLine($"cache configuration: {e.Message}");
        return 2;
    }
}
