namespace EventHub.Contracts.Security;

/// <summary><c>security.credential_stuffing.detected</c>: failed logins for many distinct accounts from one IP within a window.</summary>
public sealed record CredentialStuffingDetected : ISecurityAlert
{
    /// <summary>The event name of this alert.</summary>
    public const string EventName = "security.credential_stuffing.detected";

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

    /// <inheritdoc />
    public string LogSource { get; init; } = "";

    /// <inheritdoc />
    public IReadOnlyList<string> LogIds { get; init; } = [];

    /// <summary>The client IP the failures came from.</summary>
    public string Ip { get; init; } = "";

    /// <summary>Distinct accounts that failed in the window.</summary>
    public int UserCount { get; init; }

    /// <summary>The accounts (at most the first 100).</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Failures in the alerted window.</summary>
    public int Count { get; init; }

    /// <summary>Date of the first failure in the window.</summary>
    public DateTimeOffset First { get; init; }

    /// <summary>Date of the last failure in the window.</summary>
    public DateTimeOffset Last { get; init; }

    /// <summary>Distinct Auth0 type codes of the failures, sorted.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>The configured number of distinct accounts that raises the alert.</summary>
    public int Threshold { get; init; }

    /// <summary>The configured window.</summary>
    public TimeSpan Window { get; init; }
}
