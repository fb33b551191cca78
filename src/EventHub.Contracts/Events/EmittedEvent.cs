namespace EventHub.Contracts.Events;

/// <summary>
/// An event an application emitted over <c>POST /v1/events</c> (or the SDK). Routed on RabbitMQ by <see cref="Name"/>
/// exactly like Auth0 events; consume <see cref="IHubEvent"/> or this record in a module.
/// </summary>
public sealed record EmittedEvent : IHubEvent
{
    /// <inheritdoc />
    public string EventId { get; init; } = "";

    /// <inheritdoc />
    public string Name { get; init; } = "";

    /// <inheritdoc />
    public string Source { get; init; } = "";

    /// <inheritdoc />
    public DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public DateTimeOffset ReceivedAt { get; init; }

    /// <inheritdoc />
    public string Payload { get; init; } = "null";
}
