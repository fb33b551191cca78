namespace EventHub.Contracts.Security;

/// <summary>
/// <c>security.breached_password.detected</c>: a password known from a breach was used at login, signup or reset
/// (Auth0 codes <c>pwd_leak</c>, <c>signup_pwd_leak</c>, <c>reset_pwd_leak</c>); once per account and UTC day.
/// </summary>
public sealed record BreachedPasswordDetected : ISecurityAlert
{
    /// <summary>The event name of this alert.</summary>
    public const string EventName = "security.breached_password.detected";

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

    /// <summary>The UTC day of the entry's date, <c>yyyy-MM-dd</c>.</summary>
    public string Day { get; init; } = "";

    /// <summary>The Auth0 type code of the entry.</summary>
    public string Code { get; init; } = "";

    /// <summary>The client IP of the entry, if it had one.</summary>
    public string? Ip { get; init; }
}
