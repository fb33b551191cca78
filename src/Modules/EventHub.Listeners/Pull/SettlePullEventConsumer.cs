using MassTransit;

namespace EventHub.Listeners.Pull;

/// <summary>Settles an acknowledgement another copy received, when a stream of this copy holds the event.</summary>
internal sealed class SettlePullEventConsumer(PullStreams streams) : IConsumer<SettlePullEvent>
{
    public async Task Consume(ConsumeContext<SettlePullEvent> context)
    {
        var m = context.Message;
        // Only the holder answers: the asking copy takes the first answer, and no answer within its limit means no copy holds it.
        if (await streams.SettleHereAsync(m.ListenerId, m.EventId, m.Succeeded, m.Output, m.Error, context.CancellationToken) is { } recorded)
            await context.RespondAsync(new PullEventSettled(recorded));
    }
}

/// <summary>
/// One temporary queue per copy (non-durable, deleted with the copy's connection), bound to the message's exchange, so
/// every copy sees every forwarded acknowledgement. No retry: an answer later than the asking copy's limit is useless.
/// </summary>
internal sealed class SettlePullEventConsumerDefinition : ConsumerDefinition<SettlePullEventConsumer>
{
    public SettlePullEventConsumerDefinition()
    {
        Endpoint(endpoint =>
        {
            endpoint.Temporary = true;
            endpoint.InstanceId = Guid.NewGuid().ToString("N")[..12];
        });
    }
}
