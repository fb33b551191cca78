namespace EventHub.Dashboard.Live;

/// <summary>An event as the live page shows it: what identifies it and the start of its payload (the rest is a click away).</summary>
internal sealed record LiveEvent(string Id, string Name, string Source, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, string Preview);
