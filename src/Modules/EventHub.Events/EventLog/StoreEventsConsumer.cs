using EventHub.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace EventHub.Events.EventLog;

/// <summary>Writes every hub event, Auth0 or emitted, to the event log, many per transaction.</summary>
internal sealed class StoreEventsConsumer(EventLogStore store, EventsMetrics metrics, TimeProvider time, ILogger<StoreEventsConsumer> logger) : IConsumer<Batch<IHubEvent>>
{
    public async Task Consume(ConsumeContext<Batch<IHubEvent>> context)
    {
        var events = new List<IHubEvent>(context.Message.Length);
        var now = time.GetUtcNow();
        foreach (var message in context.Message)
        {
            events.Add(message.Message);
            metrics.StoreLag(now - message.Message.ReceivedAt);
        }

        var inserted = await store.AppendAsync(events, context.CancellationToken);
        metrics.Stored(events.Select(e => e.Name));
        logger.LogDebug("Stored {Inserted} of {Count} events ({Duplicates} already stored)", inserted, events.Count, events.Count - inserted);
    }
}
