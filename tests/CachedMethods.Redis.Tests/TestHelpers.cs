using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CachedMethods.Redis.Tests;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or a generous bound passes; never asserts on how long it took.</summary>
    public static async Task<bool> HoldsAsync(Func<bool> condition, int withinSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(withinSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }
}

/// <summary>A logger that keeps what it is given, for asserting on log events.</summary>
internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public bool Has(LogLevel level, int eventId) => Entries.Any(e => e.Level == level && e.Id.Id == eventId);
}
