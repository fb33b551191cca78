namespace EventHub.Contracts.Security;

/// <summary>
/// <c>security.detection.&lt;rule name&gt;</c>: a Sigma rule matched an Auth0 entry, or a Sigma correlation rule's condition
/// held over the entries of one group within its timespan (once per episode). Rules are the hub's built-in set and the
/// operator's folder (<c>EventHub__Detections__RulesPath</c>); <c>GET /v1/detections</c> lists them.
/// </summary>
public sealed record SigmaDetection : ISecurityAlert
{
    /// <summary>The prefix of every Sigma alert's name.</summary>
    public const string NamePrefix = "security.detection.";

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
    public string LogSource { get; init; } = "";

    /// <inheritdoc />
    public IReadOnlyList<string> LogIds { get; init; } = [];

    /// <summary>The rule's <c>id</c> (derived from its file and title when the rule has none).</summary>
    public string RuleId { get; init; } = "";

    /// <summary>The rule's name, as it ends <see cref="Name"/>.</summary>
    public string RuleName { get; init; } = "";

    /// <summary>The rule's <c>title</c>.</summary>
    public string Title { get; init; } = "";

    /// <summary>The rule's <c>level</c>: <c>informational</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</summary>
    public string Level { get; init; } = "";

    /// <summary>The rule's <c>tags</c> (MITRE ATT&amp;CK and others).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The Panther <c>RuleID</c>s and Auth0 catalog <c>id</c>s the rule covers.</summary>
    public IReadOnlyList<string> Equivalents { get; init; } = [];

    /// <summary>For a correlation rule, its type: <c>event_count</c>, <c>value_count</c> or <c>temporal</c>; null for a single-entry rule.</summary>
    public string? Correlation { get; init; }

    /// <summary>For a correlation rule, the values of its <c>group-by</c> fields, by field name.</summary>
    public IReadOnlyDictionary<string, string> GroupBy { get; init; } = new Dictionary<string, string>();

    /// <summary>For a single-entry rule, the selections that matched the entry.</summary>
    public IReadOnlyList<string> Selections { get; init; } = [];
}
