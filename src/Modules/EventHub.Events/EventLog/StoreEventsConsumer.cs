using EventHub.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventHub.Events.EventLog;

/// <summary>
/// Writes every hub event, Auth0 or emitted, to the event log: the <see cref="HubEventBatch"/>es of several publishes in
/// one transaction (docs/adr/0031).
/// </summary>
internal sealed class StoreEventsConsumer(EventLogStore store, EventsMetrics metrics, TimeProvider time, ILogger<StoreEventsConsumer> logger)
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
        foreach (var e in events)
            metrics.StoreLag(now - e.ReceivedAt);
        var inserted = await store.AppendAsync(events, cancellationToken);
        metrics.Stored(events.Select(e => e.Name));
        logger.LogDebug("Stored {Inserted} of {Count} events ({Duplicates} already stored)", inserted, events.Count, events.Count - inserted);
    }
}
