using EventHub.Contracts;

namespace EventHub.Listeners.Delivery;

/// <summary>What is delivered: the event as the listener receives it, kept with the delivery so retries need no bus.</summary>
internal sealed record DeliveryItem(string EventId, string Name, string Source, long OccurredAt, long ReceivedAt, string Payload)
{
    public static DeliveryItem From(IHubEvent e) => new(e.EventId, e.Name, e.Source, Micros(e.OccurredAt), Micros(e.ReceivedAt), e.Payload);

    public static long Micros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset Time(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
