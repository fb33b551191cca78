using EventHub.Contracts;
using EventHub.Publishing;
using MassTransit;

namespace EventHub.Host.Bus;

/// <summary>
/// Gives every published hub event its identity on the wire: a MessageId derived from the event id (so a resent
/// Auth0 entry or a repeated emit is recognisably the same message) and, on RabbitMQ, the event name as routing key
/// (so queues bound to <c>eventhub.events</c> with topic patterns receive it); a <see cref="HubEventBatch"/> its own
/// content type (<see cref="HubEventBatchSerializer"/>, docs/adr/0032) and routing key on <c>eventhub.batches</c>. Done
/// here once, for every module. On RabbitMQ the hub events themselves are written by <see cref="RabbitMqHubEventWire"/>
/// (docs/adr/0034), with the same MessageId (<see cref="HubMessageIds"/>) and routing key.
/// </summary>
internal sealed class HubEventPublishFilter<T> : IFilter<PublishContext<T>>
    where T : class
{
    public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        if (context.Message is IHubEvent hubEvent)
        {
            context.MessageId = HubMessageIds.For(hubEvent.EventId);
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                rabbit.RoutingKey = hubEvent.Name;
        }
        else if (context.Message is HubEventBatch batch)
        {
            // Read by this release and the one before it (ADR 0032's two-release roll), so a rolling upgrade from that
            // release sends nothing to an error queue.
            context.Serializer = HubEventBatchSerializer.Instance;
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                rabbit.RoutingKey = batch.RoutingKey;
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("hubEventIdentity");
}
