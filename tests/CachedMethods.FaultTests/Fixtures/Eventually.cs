namespace CachedMethods.FaultTests.Fixtures;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds or a generous bound passes; never asserts on how long it took.</summary>
    public static async Task<bool> HoldsAsync(Func<bool> condition, int withinSeconds = 60, Func<Task>? between = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(withinSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            if (between is not null)
            {
                await between();
            }

            await Task.Delay(100);
        }

        return true;
    }
}
