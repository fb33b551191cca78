using EventHub.Contracts;
using MassTransit;

namespace EventHub.Host.Bus;

/// <summary>
/// <c>eventhub.events</c> is a topic exchange, and MassTransit binds a consumer's queue to it with routing key "",
/// which matches no event name. An endpoint that consumes <see cref="IHubEvent"/> itself wants every event, so this adds
/// a <c>#</c> binding to it; typed consumers bind to fanout exchanges and need nothing. A <see cref="Batch{T}"/> of
/// them does not: the hub's own consumers read <see cref="HubEventBatch"/>es, and take single events only from the
/// binding a previous release made (docs/adr/0031).
/// </summary>
internal sealed class BindAllHubEventsObserver(IRabbitMqReceiveEndpointConfigurator endpoint) : IConsumerConfigurationObserver
{
    bool _bound;

    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
        where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class
    {
        if (_bound || typeof(TMessage) != typeof(IHubEvent))
            return;
        endpoint.Bind<IHubEvent>(binding => binding.RoutingKey = "#");
        _bound = true;
    }
}
