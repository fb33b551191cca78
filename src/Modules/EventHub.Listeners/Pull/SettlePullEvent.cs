namespace EventHub.Listeners.Pull;

/// <summary>
/// An acknowledgement that reached a copy not holding the event, published to every copy's own queue: the holder
/// settles it and answers with <see cref="PullEventSettled"/>, the others stay silent. See docs/adr/0024.
/// </summary>
public sealed record SettlePullEvent(string ListenerId, string EventId, bool Succeeded, string? Output, string? Error);

/// <summary>The holder's answer: whether the outcome was stored (false: the database failed, the event comes again).</summary>
public sealed record PullEventSettled(bool Recorded);
