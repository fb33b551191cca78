namespace EventHub.Client.Tests;

/// <summary>Waits for a condition another process makes true (a row the host writes); gives up after the limit with the last state.</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(45));
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

    /// <summary>The transaction of one event at a listener, once it satisfies <paramref name="done"/>.</summary>
    public static Task<Transaction?> TransactionAsync(EventHubClient hub, string listenerId, string eventId, Func<Transaction, bool> done, string what) =>
        UntilAsync(
            async () =>
            {
                await foreach (var transaction in hub.GetTransactionsAsync(listenerId))
                {
                    if (transaction.EventId == eventId)
                        return transaction;
                }

                return null;
            },
            t => t is not null && done(t),
            what);
}
