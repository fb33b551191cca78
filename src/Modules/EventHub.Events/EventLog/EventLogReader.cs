using EventHub.Contracts;
using EventHub.Contracts.Events;
using EventHub.Events.QueryEvents;

namespace EventHub.Events.EventLog;

/// <summary>The event log for other modules (the listeners module replays a listener's past with it), read in process.</summary>
internal sealed class EventLogReader(EventLogStore store) : IEventLogReader
{
    const int MaxLimit = 200;

    public async Task<EmittedEvent?> FindAsync(string eventId, CancellationToken cancellationToken) =>
        await store.FindAsync(eventId, cancellationToken) is { } found ? ToEvent(found) : null;

    public async Task<LoggedEvents> ReadAsync(LoggedEventsQuery query, CancellationToken cancellationToken)
    {
        var patterns = query.Patterns.Select(TopicPattern.Parse).OfType<TopicPattern>().ToList();
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var items = new List<EmittedEvent>();
        var after = query.After;
        long? next = after;
        while (items.Count < limit && next is not null)
        {
            var page = await store.QueryAsync(new EventQuery(null, null, query.Since, query.Until, after, limit), cancellationToken);
            items.AddRange(page.Items.Where(e => patterns.Any(p => p.Matches(e.Name))).Select(ToEvent));

            next = page.NextAfter;
            after = page.Items.Count > 0 ? page.Items[^1].Seq : after;
        }

        return new LoggedEvents { Items = items, Next = next is null ? null : after };
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
