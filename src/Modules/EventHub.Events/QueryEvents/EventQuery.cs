using EventHub.Contracts;

namespace EventHub.Events.QueryEvents;

/// <summary>
/// A validated query of the event log. Times filter on the event's own time; order is the log's (by sequence).
/// <paramref name="Visible"/> says which names the caller's key may read (null: all).
/// </summary>
internal sealed record EventQuery(TopicPattern? Name, string? Source, DateTimeOffset? Since, DateTimeOffset? Until, long After, int Limit, Func<string, bool>? Visible = null);
