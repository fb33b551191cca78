using EventHub.Contracts;
using MassTransit;

namespace EventHub.Dashboard.Live;

/// <summary>Every hub event, as it crosses the bus while a live page of this copy is open, to those pages.</summary>
internal sealed class LiveFeedConsumer(LiveFeed feed) : IConsumer<IHubEvent>
{
    const int PreviewLength = 160;

    public Task Consume(ConsumeContext<IHubEvent> context)
    {
        var e = context.Message;
        var preview = e.Payload.Length <= PreviewLength ? e.Payload : e.Payload[..PreviewLength] + "…";
        feed.Publish(new LiveEvent(e.EventId, e.Name, e.Source, e.OccurredAt, e.ReceivedAt, preview));
        return Task.CompletedTask;
    }
}
