using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CachedMethods.TestSupport;

/// <summary>A logger factory that keeps every entry of every category, for asserting on what was logged.</summary>
public sealed class LogCollector : ILoggerFactory
{
    public ConcurrentQueue<LogLine> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IEnumerable<LogLine> At(LogLevel minimum) => Lines.Where(l => l.Level >= minimum);

    public override string ToString() => string.Join(Environment.NewLine, Lines);

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue(new LogLine(logLevel, eventId.Id, category, formatter(state, exception), exception));
    }
}

public sealed record LogLine(LogLevel Level, int EventId, string Category, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {EventId} {Category}: {Message}{(Exception is null ? "" : " [" + Exception.GetType().Name + ": " + Exception.Message + "]")}";
}
