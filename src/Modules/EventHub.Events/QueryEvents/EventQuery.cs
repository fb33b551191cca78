using EventHub.Contracts;

namespace EventHub.Events.QueryEvents;

/// <summary>A validated query of the event log. Times filter on the event's own time; order is the log's (by sequence).</summary>
internal sealed record EventQuery(TopicPattern? Name, string? Source, DateTimeOffset? Since, DateTimeOffset? Until, long After, int Limit);
