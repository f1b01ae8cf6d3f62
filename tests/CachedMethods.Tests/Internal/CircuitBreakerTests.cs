using CachedMethods.Internal;
using Microsoft.Extensions.Time.Testing;

namespace CachedMethods.Tests.Internal;

public class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new();

    private CircuitBreaker Opened()
    {
        var circuit = new CircuitBreaker(_time);
        for (var i = 0; i < CircuitBreaker.FailureThreshold; i++)
        {
            circuit.OnFailure();
        }

        return circuit;
    }

    [Fact]
    public void It_opens_after_the_threshold_of_consecutive_failures()
    {
        var circuit = new CircuitBreaker(_time);

        Assert.False(circuit.OnFailure());
        Assert.False(circuit.OnFailure());
        Assert.True(circuit.AllowCall());
        Assert.False(circuit.IsOpen);

        Assert.True(circuit.OnFailure());
        Assert.True(circuit.IsOpen);
        Assert.False(circuit.AllowCall());
    }

    [Fact]
    public void A_success_resets_the_failure_count()
    {
        var circuit = new CircuitBreaker(_time);
        circuit.OnFailure();
        circuit.OnFailure();
        Assert.False(circuit.OnSuccess());
        circuit.OnFailure();
        circuit.OnFailure();

        Assert.False(circuit.IsOpen);
        Assert.True(circuit.AllowCall());
    }

    [Fact]
    public void After_the_break_one_probe_is_let_through_and_its_success_closes_the_circuit()
    {
        var circuit = Opened();

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(circuit.AllowCall());

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(circuit.AllowCall());
        Assert.False(circuit.AllowCall()); // one probe at a time
        Assert.True(circuit.IsOpen);

        Assert.True(circuit.OnSuccess());
        Assert.False(circuit.IsOpen);
        Assert.True(circuit.AllowCall());
        Assert.True(circuit.AllowCall());
    }

    [Fact]
    public void A_failed_probe_reopens_the_circuit_for_twice_as_long()
    {
        var circuit = Opened();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(circuit.AllowCall(out var probe));
        Assert.True(probe);

        Assert.True(circuit.OnFailure(wasProbe: true));

        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(circuit.AllowCall());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(circuit.AllowCall());
    }

    [Fact]
    public void The_break_doubles_per_failed_probe_up_to_two_seconds()
    {
        var circuit = Opened();
        var expected = new[] { 1, 2, 2, 2 };
        foreach (var seconds in expected)
        {
            _time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.False(circuit.AllowCall());
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(circuit.AllowCall(out var probe), $"No probe after a break of {seconds} s.");
            circuit.OnFailure(probe);
        }
    }

    [Fact]
    public void Failures_of_calls_in_flight_when_it_opened_do_not_lengthen_the_break()
    {
        var circuit = Opened();
        for (var i = 0; i < 50; i++)
        {
            // A burst of calls that started before the circuit opened.
            Assert.False(circuit.OnFailure(wasProbe: false));
        }

        _time.Advance(CircuitBreaker.MinBreak);
        Assert.True(circuit.AllowCall(out var probe));
        Assert.True(probe);
        Assert.True(circuit.OnSuccess());
        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public void After_closing_the_next_opening_starts_again_at_one_second()
    {
        var circuit = Opened();
        _time.Advance(TimeSpan.FromSeconds(1));
        circuit.AllowCall(out var probe);
        circuit.OnFailure(probe); // break now 2 s
        _time.Advance(TimeSpan.FromSeconds(2));
        circuit.AllowCall();
        circuit.OnSuccess();

        for (var i = 0; i < CircuitBreaker.FailureThreshold; i++)
        {
            circuit.OnFailure();
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(circuit.AllowCall());
    }
}
