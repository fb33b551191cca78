namespace EventHub.Contracts.Security;

/// <summary><c>security.brute_force.detected</c>: many failed logins for one account within a window of the entries' own dates.</summary>
public sealed record BruteForceDetected : ISecurityAlert
{
    /// <summary>The event name of this alert.</summary>
    public const string EventName = "security.brute_force.detected";

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

    /// <summary>The account: the Auth0 <c>user_id</c>, else <c>&lt;connection&gt;/&lt;user name&gt;</c>.</summary>
    public string User { get; init; } = "";

    /// <summary>Failures in the alerted window.</summary>
    public int Count { get; init; }

    /// <summary>Date of the first failure in the window.</summary>
    public DateTimeOffset First { get; init; }

    /// <summary>Date of the last failure in the window.</summary>
    public DateTimeOffset Last { get; init; }

    /// <summary>Distinct client IPs of the failures, sorted.</summary>
    public IReadOnlyList<string> Ips { get; init; } = [];

    /// <summary>Distinct Auth0 type codes of the failures (<c>f</c>, <c>fp</c>, …), sorted.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>The configured number of failures that raises the alert.</summary>
    public int Threshold { get; init; }

    /// <summary>The configured window.</summary>
    public TimeSpan Window { get; init; }
}
