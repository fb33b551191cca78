using MassTransit;

namespace EventHub.Dashboard.Live;

/// <summary>
/// Every copy of the host needs every event for its own live pages, so each gets its own temporary queue (non-durable,
/// deleted when the copy stops) instead of competing on a shared one. Nothing is retried: a missed live line is not worth
/// holding the queue for, the event log has it.
/// </summary>
internal sealed class LiveFeedConsumerDefinition : ConsumerDefinition<LiveFeedConsumer>
{
    public LiveFeedConsumerDefinition()
    {
        Endpoint(endpoint =>
        {
            endpoint.Temporary = true;
            endpoint.InstanceId = Guid.NewGuid().ToString("N")[..12];
        });
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<LiveFeedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 100;
    }
}
