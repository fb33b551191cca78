namespace EventHub.Dashboard.Tests;

/// <summary>Waits for a condition the host makes true where there is no event to await: checks on a timer, gives up after the limit.</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var last = await probe();
        while (!done(last))
        {
            try
            {
                await timer.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for {what}; last value: {last}");
            }

            last = await probe();
        }

        return last;
    }
}
