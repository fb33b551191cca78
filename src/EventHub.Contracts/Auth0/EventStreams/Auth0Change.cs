namespace EventHub.Contracts.Auth0.EventStreams;

/// <summary>
/// The fields every Auth0 Event Streams event shares. Not published itself (it is excluded from the bus topology):
/// the hub publishes one sealed record per known type (<see cref="Auth0ChangeTypes"/>) or <see cref="Auth0UnknownChangeEvent"/>.
/// </summary>
public abstract record Auth0Change : IAuth0ChangeEvent
{
    /// <summary>The prefix of every Event Streams event name: <c>auth0.events.user.created</c>.</summary>
    public const string NamePrefix = "auth0.events.";

    /// <summary>Creates an empty event.</summary>
    protected Auth0Change()
    {
    }

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
    public string Payload { get; init; } = "{}";

    /// <inheritdoc />
    public string Type { get; init; } = "";

    /// <inheritdoc />
    public DateTimeOffset Time { get; init; }

    /// <inheritdoc />
    public string? Tenant { get; init; }

    /// <inheritdoc />
    public string? Stream { get; init; }

    /// <inheritdoc />
    public string? Purpose { get; init; }

    /// <inheritdoc />
    public bool IsTest { get; init; }

    /// <inheritdoc />
    public string CloudEventSource { get; init; } = "";

    /// <inheritdoc />
    public string Data { get; init; } = "null";

    /// <inheritdoc />
    public string? UserId { get; init; }

    /// <inheritdoc />
    public string? OrganizationId { get; init; }
}
