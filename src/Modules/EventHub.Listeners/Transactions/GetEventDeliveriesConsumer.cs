using EventHub.Contracts.Listeners;
using EventHub.Listeners.Delivery;
using MassTransit;

namespace EventHub.Listeners.Transactions;

/// <summary>Answers the events module's question "where did this event go?" without either module knowing the other.</summary>
internal sealed class GetEventDeliveriesConsumer(DeliveryStore deliveries) : IConsumer<GetEventDeliveries>
{
    public async Task Consume(ConsumeContext<GetEventDeliveries> context)
    {
        var records = await deliveries.ForEventAsync(context.Message.EventId, context.CancellationToken);
        await context.RespondAsync(new EventDeliveries
        {
            EventId = context.Message.EventId,
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
                    UpdatedAt = DeliveryItem.Time(r.UpdatedAt),
                }),
            ],
        });
    }
}
