using System.Runtime.CompilerServices;
using CachedMethods.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Engine;

/// <summary>Single flight, failures, cancellation and the state-passing overloads of GetOrCreate.</summary>
public sealed class GetOrCreateTests : IDisposable
{
    /// <summary>Only a safety net against a hung test; no assertion depends on how long anything took.</summary>
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new("get-or-create");
    private readonly FakeTimeProvider _time = TestOptions.NewClock();
    private readonly CacheManager _cache;

    public GetOrCreateTests() => _cache = new CacheManager(TestOptions.Create(_time, _folder.Path));

    public void Dispose()
    {
        _cache.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_factory_runs_once_for_fifty_concurrent_callers()
    {
        var gate = new TaskCompletionSource<OcrPage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async ValueTask<OcrPage> Factory(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            started.TrySetResult();
            return await gate.Task;
        }

        var pending = new Task<OcrPage>[50];
        Parallel.For(0, pending.Length, i => pending[i] = _cache.GetOrCreateAsync("k", Factory).AsTask());
        await started.Task.WaitAsync(Safety);

        Assert.All(pending, p => Assert.False(p.IsCompleted)); // every caller is waiting on the one computation
        gate.SetResult(new OcrPage("computed once", 1, 1));
        var results = await Task.WhenAll(pending).WaitAsync(Safety);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.Equal(new OcrPage("computed once", 1, 1), await _cache.GetOrCreateAsync("k", Factory));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_factory_exception_reaches_every_waiter_and_is_not_cached()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async ValueTask<string> Failing(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            throw new InvalidOperationException("OCR engine crashed");
        }

        var pending = Enumerable.Range(0, 20).Select(_ => _cache.GetOrCreateAsync("k", Failing).AsTask()).ToArray();
        gate.SetResult();

        foreach (var waiter in pending)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => waiter.WaitAsync(Safety));
            Assert.Equal("OCR engine crashed", error.Message);
        }

        Assert.Equal(1, calls);
        Assert.False(_cache.Get<string>("k").HasValue);
        Assert.Equal("recovered", await _cache.GetOrCreateAsync("k", _ => { calls++; return new ValueTask<string>("recovered"); }));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_synchronously_throwing_factory_fails_the_call_and_is_not_cached()
    {
        await Assert.ThrowsAsync<FormatException>(async () =>
            await _cache.GetOrCreateAsync<int>("k", _ => throw new FormatException("bad page")));
        Assert.Throws<FormatException>(() => _cache.GetOrCreate<int>("s", () => throw new FormatException("bad page")));

        Assert.Equal(7, await _cache.GetOrCreateAsync("k", _ => new ValueTask<int>(7)));
        Assert.Equal(8, _cache.GetOrCreate("s", () => 8));
    }

    [Fact]
    public async Task One_waiter_cancelling_does_not_cancel_the_computation_the_others_await()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var factoryToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async ValueTask<string> Factory(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            factoryToken.TrySetResult(ct);
            return await gate.Task;
        }

        using var impatient = new CancellationTokenSource();
        var first = _cache.GetOrCreateAsync("k", Factory).AsTask();
        var cancelled = _cache.GetOrCreateAsync("k", Factory, cancellationToken: impatient.Token).AsTask();
        var third = _cache.GetOrCreateAsync("k", Factory).AsTask();
        var token = await factoryToken.Task.WaitAsync(Safety);

        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Safety));
        Assert.False(token.IsCancellationRequested);
        Assert.False(first.IsCompleted);
        gate.SetResult("done");
        Assert.Equal("done", await first.WaitAsync(Safety));
        Assert.Equal("done", await third.WaitAsync(Safety));
        Assert.Equal(1, calls);
        Assert.Equal("done", _cache.Get<string>("k").Value);
    }

    [Fact]
    public async Task When_every_waiter_cancels_the_computation_is_cancelled_and_nothing_is_cached()
    {
        var factoryToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<string> Factory(CancellationToken ct)
        {
            factoryToken.TrySetResult(ct);
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }

        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var a = _cache.GetOrCreateAsync("k", Factory, cancellationToken: first.Token).AsTask();
        var b = _cache.GetOrCreateAsync("k", Factory, cancellationToken: second.Token).AsTask();
        var token = await factoryToken.Task.WaitAsync(Safety);

        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.WaitAsync(Safety));
        Assert.False(token.IsCancellationRequested);
        await second.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b.WaitAsync(Safety));

        Assert.True(token.IsCancellationRequested);
        Assert.Equal("fresh", await _cache.GetOrCreateAsync("k", _ => new ValueTask<string>("fresh")).AsTask().WaitAsync(Safety));
    }

    [Fact]
    public void The_synchronous_factory_runs_once_for_concurrent_threads()
    {
        const int threadCount = 16;
        using var gate = new ManualResetEventSlim(false);
        using var arrived = new CountdownEvent(threadCount);
        var calls = 0;
        string Factory()
        {
            Interlocked.Increment(ref calls);
            gate.Wait();
            return "computed";
        }

        var results = new string[threadCount];
        var threads = Enumerable.Range(0, threadCount).Select(i => new Thread(() =>
        {
            arrived.Signal();
            results[i] = _cache.GetOrCreate("k", Factory);
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        try
        {
            Assert.True(arrived.Wait(Safety));
            // Release the computation only once every thread is blocked: in the factory or waiting for it.
            Assert.True(SpinWait.SpinUntil(() => threads.All(t => (t.ThreadState & ThreadState.WaitSleepJoin) != 0), Safety), "The threads never blocked.");
        }
        finally
        {
            gate.Set();
        }

        Assert.All(threads, t => Assert.True(t.Join(Safety)));
        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal("computed", r));
    }

    [Fact]
    public async Task The_state_passing_overload_takes_a_static_factory()
    {
        var counter = new StrongBox<int>();

        var first = await _cache.GetOrCreateAsync("k", (Counter: counter, Page: 3), static (s, _) =>
        {
            s.Counter.Value++;
            return new ValueTask<string>($"page {s.Page}");
        });
        var second = await _cache.GetOrCreateAsync("k", (Counter: counter, Page: 4), static (s, _) =>
        {
            s.Counter.Value++;
            return new ValueTask<string>($"page {s.Page}");
        });

        Assert.Equal("page 3", first);
        Assert.Equal("page 3", second);
        Assert.Equal(1, counter.Value);
    }

    [Fact]
    public async Task The_cache_key_overloads_share_entries_with_the_string_overloads()
    {
        var key = CacheKey.FromString("k");
        var counter = new StrongBox<int>();

        var created = await _cache.GetOrCreateAsync(key, counter, static (c, _) => new ValueTask<int>(++c.Value));
        var again = _cache.GetOrCreate(key, counter, static c => ++c.Value);

        Assert.Equal(1, created);
        Assert.Equal(1, again);
        Assert.Equal(1, _cache.Get<int>("k").Value);
        Assert.True(_cache.TryGet(key, out int viaKey));
        Assert.Equal(1, viaKey);
    }

    [Fact]
    public async Task A_value_on_disk_is_returned_without_running_the_factory()
    {
        _cache.Set("k", "from disk");
        _cache.Clear(CacheTiers.Memory);

        Assert.Equal("from disk", await _cache.GetOrCreateAsync<string>("k", _ => throw new InvalidOperationException("must not run")));
        _cache.Clear(CacheTiers.Memory);
        Assert.Equal("from disk", _cache.GetOrCreate<string>("k", () => throw new InvalidOperationException("must not run")));
    }

    [Fact]
    public async Task Entry_options_choose_the_ttl_and_the_tiers()
    {
        var options = new CacheEntryOptions { Ttl = TimeSpan.FromSeconds(10), Tiers = CacheTiers.Memory };

        await _cache.GetOrCreateAsync("k", _ => new ValueTask<string>("v"), options);

        Assert.Equal(0, _cache.PersistentStore!.GetUsage().Entries);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(_cache.Get<string>("k").HasValue);
    }
}
