using EventHub.TestSupport;

namespace EventHub.Client.Tests;

/// <summary>Waits of the client tests, on <see cref="Eventually"/> with its hang guard.</summary>
internal static class ClientWait
{
    public static readonly TimeSpan Limit = Eventually.DefaultLimit;

    /// <summary>The transaction of one event at a listener, once it satisfies <paramref name="done"/>.</summary>
    public static Task<Transaction?> TransactionAsync(EventHubClient hub, string listenerId, string eventId, Func<Transaction, bool> done, string what) =>
        Eventually.UntilAsync(
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
            Limit,
            what);
}
