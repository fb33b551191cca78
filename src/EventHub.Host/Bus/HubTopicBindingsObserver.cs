using EventHub.Contracts;
using MassTransit;

namespace EventHub.Host.Bus;

/// <summary>
/// <c>eventhub.events</c> and <c>eventhub.batches</c> are topic exchanges, and MassTransit binds a consumer's queue to
/// them with routing key "", which matches nothing published there. So an endpoint that consumes <see cref="IHubEvent"/>
/// itself gets <c>#</c> on <c>eventhub.events</c> (typed consumers bind to fanout exchanges and need nothing), and one
/// that consumes <see cref="HubEventBatch"/>es gets <c>#</c> on <c>eventhub.batches</c>, or only the batches with Auth0
/// entries when its consumer reads nothing else (<see cref="IReadsAuth0EntriesOnly"/>). A <see cref="Batch{T}"/> of
/// single events gets nothing: the hub's own consumers take those only from the binding a previous release made
/// (docs/adr/0031).
/// </summary>
internal sealed class HubTopicBindingsObserver(IRabbitMqReceiveEndpointConfigurator endpoint) : IConsumerConfigurationObserver
{
    bool _eventsBound;
    bool _batchesBound;

    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
        where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class
    {
        if (typeof(TMessage) == typeof(IHubEvent) && !_eventsBound)
        {
            endpoint.Bind<IHubEvent>(binding => binding.RoutingKey = "#");
            _eventsBound = true;
        }
        else if (typeof(TMessage) == typeof(Batch<HubEventBatch>) && !_batchesBound)
        {
            var auth0Only = typeof(IReadsAuth0EntriesOnly).IsAssignableFrom(typeof(TConsumer));
            endpoint.Bind<HubEventBatch>(binding => binding.RoutingKey = auth0Only ? HubEventBatch.WithAuth0 : "#");
            _batchesBound = true;
        }
    }
}
