using MassTransit;

namespace EventHub.Dashboard.Live;

/// <summary>
/// How the live feed consumes, on the temporary queue <see cref="LiveFeedBinding"/> binds while a page watches. Nothing is retried: a missed live line is not worth holding the queue for, the event log has it.
/// </summary>
internal sealed class LiveFeedConsumerDefinition : ConsumerDefinition<LiveFeedConsumer>
{
    public LiveFeedConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<LiveFeedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 100;
    }
}
