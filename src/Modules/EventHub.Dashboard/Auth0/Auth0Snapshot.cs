namespace EventHub.Dashboard.Auth0;

/// <summary>The Auth0 page's numbers at one moment; <see cref="PerMinute"/> runs from 59 minutes ago to the current minute.</summary>
internal sealed record Auth0Snapshot(
    DateTimeOffset Since,
    DateTimeOffset? LastReceivedAt,
    long Total,
    IReadOnlyList<long> PerMinute,
    IReadOnlyList<KeyValuePair<string, long>> UnrecognizedByReason,
    IReadOnlyList<KeyValuePair<string, long>> RejectedByReason);
