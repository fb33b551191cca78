namespace EventHub.TestSupport;

/// <summary>
/// Waits for a condition that another process makes true (a row the host's consumer writes, a queue the broker fills),
/// where there is no event to await. Checks on a timer, gives up after the limit with the last state in the message.
/// </summary>
public static class Eventually
{
    /// <summary>Long enough that only a hang reaches it on a loaded two-core machine: a limit that a slow run can hit is a flaky test.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromMinutes(2);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? limit = null, string? what = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? DefaultLimit);
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
                throw new TimeoutException($"Gave up waiting{(what is null ? "" : " for " + what)}; last value: {last}");
            }

            last = await probe();
        }

        return last;
    }
}
