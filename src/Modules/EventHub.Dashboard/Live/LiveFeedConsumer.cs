using EventHub.Contracts;
using EventHub.Contracts.Auth0;
using EventHub.Dashboard.Auth0;
using MassTransit;

namespace EventHub.Dashboard.Live;

/// <summary>Every hub event, as it crosses the bus, to the live pages and the Auth0 counters of this copy.</summary>
internal sealed class LiveFeedConsumer(LiveFeed feed, Auth0Activity auth0) : IConsumer<IHubEvent>
{
    const int PreviewLength = 160;

    public Task Consume(ConsumeContext<IHubEvent> context)
    {
        var e = context.Message;
        var preview = e.Payload.Length <= PreviewLength ? e.Payload : e.Payload[..PreviewLength] + "…";
        feed.Publish(new LiveEvent(e.EventId, e.Name, e.Source, e.OccurredAt, e.ReceivedAt, preview));
        if (e.Name.StartsWith("auth0.", StringComparison.Ordinal))
            auth0.Received(e.ReceivedAt, context.TryGetMessage<Auth0UnrecognizedEntry>(out var unrecognized) ? unrecognized.Message.Reason : null);
        return Task.CompletedTask;
    }
}
