using EventHub.Contracts;
using EventHub.Contracts.Events;
using EventHub.Events.EventLog;
using EventHub.Events.QueryEvents;
using MassTransit;

namespace EventHub.Events.Replay;

/// <summary>Serves pages of the event log to other modules over the bus (the listeners module replays a listener's past with it).</summary>
internal sealed class GetLoggedEventsConsumer(EventLogStore store) : IConsumer<GetLoggedEvents>
{
    const int MaxLimit = 200;

    public async Task Consume(ConsumeContext<GetLoggedEvents> context)
    {
        var request = context.Message;
        if (request.EventId is { } id)
        {
            var found = await store.FindAsync(id, context.CancellationToken);
            await context.RespondAsync(new LoggedEvents { Items = found is null ? [] : [ToEvent(found)] });
            return;
        }

        var patterns = request.Patterns.Select(TopicPattern.Parse).OfType<TopicPattern>().ToList();
        var limit = Math.Clamp(request.Limit, 1, MaxLimit);
        var items = new List<EmittedEvent>();
        var after = request.After;
        long? next = after;
        while (items.Count < limit && next is not null)
        {
            var page = await store.QueryAsync(new EventQuery(null, null, request.Since, request.Until, after, limit), context.CancellationToken);
            items.AddRange(page.Items.Where(e => patterns.Any(p => p.Matches(e.Name))).Select(ToEvent));

            next = page.NextAfter;
            after = page.Items.Count > 0 ? page.Items[^1].Seq : after;
        }

        await context.RespondAsync(new LoggedEvents { Items = items, Next = next is null ? null : after });
    }

    static EmittedEvent ToEvent(StoredEvent stored) => new()
    {
        EventId = stored.Id,
        Name = stored.Name,
        Source = stored.Source,
        OccurredAt = stored.OccurredAtTime,
        ReceivedAt = stored.ReceivedAtTime,
        Payload = stored.Payload,
    };
}
