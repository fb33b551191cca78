using System.Data.Common;
using EventHub.Contracts;
using EventHub.Publishing;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventHub.Events.EventLog;

/// <summary>
/// Writes every hub event, Auth0 or emitted, to the event log: the <see cref="HubEventBatch"/>es of several publishes in
/// one transaction (docs/adr/0031).
/// </summary>
internal sealed class StoreEventsConsumer(EventLogStore store, EventsMetrics metrics, ConsumerLag lag, TimeProvider time, ILogger<StoreEventsConsumer> logger)
    : IConsumer<Batch<HubEventBatch>>, IConsumer<Batch<IHubEvent>>
{
    public Task Consume(ConsumeContext<Batch<HubEventBatch>> context) =>
        StoreAsync(context.Message.SelectMany(batch => batch.Message.Events()).ToList(), context.CancellationToken);

    /// <summary>
    /// Single events come here only by the <c>#</c> binding of a release before ADR 0031, which brings this release's
    /// events as well as that release's own. They are stored all the same (the insert skips an id already there): a
    /// copy of that release, still running beside this one, sets the batches it is given aside unread. In memory there
    /// is no such release, and every single event also came in its batch.
    /// </summary>
    public Task Consume(ConsumeContext<Batch<IHubEvent>> context) =>
        StoreAsync(context.Message.Where(e => !(InMemory(e) && e.Headers.TryGetHeader(HubEventNames.InBatchHeader, out _))).Select(e => e.Message).ToList(), context.CancellationToken);

    static bool InMemory(ConsumeContext context) => context.ReceiveContext.InputAddress.Scheme == "loopback";

    async Task StoreAsync(List<IHubEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return;
        var now = time.GetUtcNow();
        var oldest = now;
        foreach (var e in events)
        {
            metrics.StoreLag(now - e.ReceivedAt);
            if (e.ReceivedAt < oldest)
                oldest = e.ReceivedAt;
        }

        int inserted;
        try
        {
            inserted = await store.AppendAsync(events, cancellationToken);
        }
        catch (DbException refused) when (!refused.IsTransient && events.Count > 1)
        {
            await AppendEachAsync(events, cancellationToken);
            throw;
        }

        // What ingress waits on (docs/adr/0039): from acceptance to stored. Only a batch that was stored says it.
        lag.Observed(readsAuth0Only: false, oldest);
        metrics.Stored(events.Select(e => e.Name));
        logger.LogDebug("Stored {Inserted} of {Count} events ({Duplicates} already stored)", inserted, events.Count, events.Count - inserted);
    }

    /// <summary>
    /// One event the database refuses for what it holds (a constraint an operator added, a value the column cannot take)
    /// must not keep the others of its batch out of the log for the retries' minutes: each is stored on its own. The
    /// refusal is then thrown again, so the batch still goes through its retries to <c>store-events_error</c>, where the
    /// refused event is replayed from once the fault is fixed; the others are in the log by then, and their replay
    /// inserts nothing. A database that is away (a transient error) stops this and is retried as a whole.
    /// </summary>
    async Task AppendEachAsync(List<IHubEvent> events, CancellationToken cancellationToken)
    {
        var stored = new List<string>();
        string? firstRefusal = null;
        foreach (var e in events)
        {
            try
            {
                await store.AppendAsync([e], cancellationToken);
                stored.Add(e.Name);
            }
            catch (DbException refused) when (!refused.IsTransient)
            {
                firstRefusal ??= refused.SqlState ?? refused.GetType().Name;
            }
        }

        metrics.Stored(stored);
        logger.LogWarning(
            "The event log refused {Refused} of {Count} events of a batch ({Error}); the other {Stored} are stored, and the batch goes on to its retries and store-events_error",
            events.Count - stored.Count, events.Count, firstRefusal, stored.Count);
    }
}
