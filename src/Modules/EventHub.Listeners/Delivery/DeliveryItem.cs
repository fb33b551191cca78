using EventHub.Contracts;
using EventHub.Storage;

namespace EventHub.Listeners.Delivery;

/// <summary>What is delivered: the event as the listener receives it, kept with the delivery so retries need no bus.</summary>
internal sealed record DeliveryItem(string EventId, string Name, string Source, long OccurredAt, long ReceivedAt, string Payload)
{
    public static DeliveryItem From(IHubEvent e) => new(e.EventId, e.Name, e.Source, UnixMicros.From(e.OccurredAt), UnixMicros.From(e.ReceivedAt), e.Payload);
}
