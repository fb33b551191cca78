using EventHub.Contracts.Listeners;
using EventHub.Listeners.Delivery;
using EventHub.Storage;

namespace EventHub.Listeners.Transactions;

/// <summary>Answers the events module's question "where did this event go?" in process, without either module knowing the other.</summary>
internal sealed class EventDeliveriesReader(DeliveryStore deliveries) : IEventDeliveriesReader
{
    public async Task<EventDeliveries> ReadAsync(string eventId, CancellationToken cancellationToken)
    {
        var records = await deliveries.ForEventAsync(eventId, cancellationToken);
        return new EventDeliveries
        {
            EventId = eventId,
            Deliveries =
            [
                .. records.Select(r => new EventDelivery
                {
                    ListenerId = r.ListenerId,
                    State = r.State,
                    Attempts = (int)r.Attempts,
                    StatusCode = (int?)r.LastStatus,
                    Error = r.LastError,
                    Output = r.Output,
                    UpdatedAt = UnixMicros.ToTime(r.UpdatedAt),
                }),
            ],
        };
    }
}
