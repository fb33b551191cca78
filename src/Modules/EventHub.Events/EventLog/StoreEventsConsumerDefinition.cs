using EventHub.Composition.Retry;
using EventHub.Publishing;
using MassTransit;

namespace EventHub.Events.EventLog;

/// <summary>
/// Up to 10 batch messages (a log stream post is one of up to 100 entries; an emit, one of the events its request
/// carried) or 20 ms, whichever first, two at a time: one insert per group. Database outages are retried for 3 to 4
/// minutes with the messages held unacked (the broker keeps them); only then do they go to <c>store-events_error</c>
/// for replay.
/// </summary>
internal sealed class StoreEventsConsumerDefinition : ConsumerDefinition<StoreEventsConsumer>
{
    const int BatchSize = 10;

    public StoreEventsConsumerDefinition() => ConcurrentMessageLimit = 2;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<StoreEventsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = BatchSize * 2;
        // How the hub writes its batches (docs/adr/0032); a previous release's envelopes are still read by the default.
        endpointConfigurator.AddDeserializer(HubEventBatchSerializer.Instance);
        RetryPolicies.Use(endpointConfigurator, RetryPolicies.From(context).StoreEvents);
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(20))
            .SetConcurrencyLimit(2));
    }
}
