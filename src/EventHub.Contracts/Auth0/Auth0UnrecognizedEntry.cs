namespace EventHub.Contracts.Auth0;

/// <summary>
/// A record of an Auth0 log stream batch that was valid JSON but not a usable log entry (no <c>data</c>,
/// <c>data</c> not an object, or no <c>data.type</c>). It is kept, not dropped: named <c>auth0.unrecognized</c>,
/// with the record's JSON text as <see cref="IHubEvent.Payload"/>.
/// </summary>
public sealed record Auth0UnrecognizedEntry : IHubEvent
{
    /// <summary>The event name of every unrecognized entry.</summary>
    public const string EventName = "auth0.unrecognized";

    /// <inheritdoc />
    public string EventId { get; init; } = "";

    /// <inheritdoc />
    public string Name { get; init; } = EventName;

    /// <inheritdoc />
    public string Source { get; init; } = "";

    /// <inheritdoc />
    public DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public DateTimeOffset ReceivedAt { get; init; }

    /// <inheritdoc />
    public string Payload { get; init; } = "{}";

    /// <summary>Why the record is unusable: <c>missing_data</c>, <c>data_not_object</c> or <c>missing_type</c>.</summary>
    public string Reason { get; init; } = "";
}
