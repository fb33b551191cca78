using EventHub.Events.EventLog;

namespace EventHub.Events.QueryEvents;

/// <summary>One page of results; <see cref="NextAfter"/> is the sequence to continue after, null at the end.</summary>
internal sealed record EventPage(IReadOnlyList<StoredEvent> Items, long? NextAfter);
