using MassTransit;

namespace EventHub.Publishing;

/// <summary>
/// How <see cref="ConfirmedPublisher"/> puts one hub event on the bus, typed and routed (docs/adr/0002), and completes
/// when the broker has confirmed it. On RabbitMQ the host writes it to the channel itself (docs/adr/0034); otherwise it
/// is MassTransit's publish.
/// </summary>
public interface IHubEventWire
{
    /// <param name="message">A hub event.</param>
    /// <param name="inBatch">The event also goes out in the request's <c>HubEventBatch</c>, which the hub's own consumers read instead.</param>
    /// <param name="cancellationToken">Abandons the publish (<see cref="ConfirmedPublisher.MinimumAbandonAfter"/>).</param>
    Task PublishAsync(object message, bool inBatch, CancellationToken cancellationToken);
}

/// <summary>MassTransit's publish: the wire of the in-memory transport, where there is no broker to write to.</summary>
public sealed class BusPublishWire(IBus bus) : IHubEventWire
{
    static readonly Action<PublishContext> MarkInBatch = static context => context.Headers.Set(EventHub.Contracts.HubEventNames.InBatchHeader, true);

    public Task PublishAsync(object message, bool inBatch, CancellationToken cancellationToken) =>
        inBatch ? bus.Publish(message, MarkInBatch, cancellationToken) : bus.Publish(message, cancellationToken);
}
