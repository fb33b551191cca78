namespace EventHub.Contracts.Auth0;

/// <summary>
/// The fields every Auth0 log record shares. Not published itself (it is excluded from the bus topology):
/// the hub publishes one sealed record per code, generated from the log type table.
/// </summary>
public abstract record Auth0LogEntry : IAuth0LogEvent
{
    /// <summary>Creates an empty entry.</summary>
    protected Auth0LogEntry()
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
    public string Group { get; init; } = "";

    /// <inheritdoc />
    public string? Description { get; init; }

    /// <inheritdoc />
    public string? Tenant { get; init; }

    /// <inheritdoc />
    public string? ClientId { get; init; }

    /// <inheritdoc />
    public string? ClientName { get; init; }

    /// <inheritdoc />
    public string? Connection { get; init; }

    /// <inheritdoc />
    public string? ConnectionId { get; init; }

    /// <inheritdoc />
    public string? UserId { get; init; }

    /// <inheritdoc />
    public string? UserName { get; init; }

    /// <inheritdoc />
    public string? Ip { get; init; }

    /// <inheritdoc />
    public string? UserAgent { get; init; }

    /// <inheritdoc />
    public string? Hostname { get; init; }

    /// <inheritdoc />
    public string? Strategy { get; init; }

    /// <inheritdoc />
    public string? StrategyType { get; init; }

    /// <inheritdoc />
    public string? Audience { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<string> Scope { get; init; } = [];

    /// <inheritdoc />
    public bool? IsMobile { get; init; }

    /// <inheritdoc />
    public string? OrganizationId { get; init; }

    /// <inheritdoc />
    public string? OrganizationName { get; init; }
}
