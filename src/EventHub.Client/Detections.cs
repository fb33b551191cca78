namespace EventHub.Client;

/// <summary>The Sigma rules the hub loaded and refused (<c>GET /v1/detections</c>).</summary>
public sealed record DetectionList
{
    /// <summary>How many rules and correlations were loaded.</summary>
    public int Loaded { get; init; }

    /// <summary>How many rule documents were refused.</summary>
    public int RefusedCount { get; init; }

    /// <summary>Every rule loaded, built-in ones first, then those of the hub's rules folder.</summary>
    public IReadOnlyList<DetectionRule> Rules { get; init; } = [];

    /// <summary>Every rule document refused, with its file, line and why.</summary>
    public IReadOnlyList<RefusedDetectionRule> Refused { get; init; } = [];
}

/// <summary>One loaded Sigma rule, with what it did in the answering host copy since it started.</summary>
public sealed record DetectionRule
{
    /// <summary>The rule's <c>id</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary>The rule's name, as its alerts' event name ends.</summary>
    public string Name { get; init; } = "";

    /// <summary>The name of its alerts, <c>security.detection.&lt;name&gt;</c>.</summary>
    public string Event { get; init; } = "";

    /// <summary>The rule's <c>title</c>.</summary>
    public string Title { get; init; } = "";

    /// <summary>The rule's <c>level</c>.</summary>
    public string Level { get; init; } = "";

    /// <summary>The rule's <c>status</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>The rule's <c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The Panther <c>RuleID</c>s and Auth0 catalog <c>id</c>s it covers.</summary>
    public IReadOnlyList<string> Equivalents { get; init; } = [];

    /// <summary>The file it came from (<c>built-in/…</c> for the hub's own).</summary>
    public string File { get; init; } = "";

    /// <summary>Its line in that file.</summary>
    public long Line { get; init; }

    /// <summary>The correlation type (<c>event_count</c>, <c>value_count</c>, <c>temporal</c>), or null for a rule over single entries.</summary>
    public string? Correlation { get; init; }

    /// <summary>Whether its matches raise alerts of their own (a rule used only by correlations does not, nor a built-in detection switched off by its setting).</summary>
    public bool Alerts { get; init; }

    /// <summary>The correlations counting this rule's matches.</summary>
    public IReadOnlyList<string> UsedBy { get; init; } = [];

    /// <summary>Entries matched since the answering host copy started.</summary>
    public long Matches { get; init; }

    /// <summary>Alerts raised since the answering host copy started.</summary>
    public long AlertsRaised { get; init; }
}

/// <summary>A rule document the hub could not use.</summary>
public sealed record RefusedDetectionRule
{
    /// <summary>The file.</summary>
    public string File { get; init; } = "";

    /// <summary>The line of the problem.</summary>
    public long Line { get; init; }

    /// <summary>The rule's title, when it had one.</summary>
    public string? Title { get; init; }

    /// <summary>Why it was refused.</summary>
    public string Reason { get; init; } = "";
}

/// <summary>The rules whose detection matches one Auth0 entry, before any correlation (<c>POST /v1/detections/test</c>).</summary>
public sealed record DetectionTest
{
    /// <summary>The entry's <c>log_id</c>.</summary>
    public string LogId { get; init; } = "";

    /// <summary>The entry's type code (<c>data.type</c>).</summary>
    public string Type { get; init; } = "";

    /// <summary>The rules that match it.</summary>
    public IReadOnlyList<DetectionMatch> Matches { get; init; } = [];
}

/// <summary>One rule that matches the tested entry.</summary>
public sealed record DetectionMatch
{
    /// <summary>The rule's <c>id</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary>The rule's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The rule's <c>title</c>.</summary>
    public string Title { get; init; } = "";

    /// <summary>The rule's <c>level</c>.</summary>
    public string Level { get; init; } = "";

    /// <summary>The Panther <c>RuleID</c>s and Auth0 catalog <c>id</c>s it covers.</summary>
    public IReadOnlyList<string> Equivalents { get; init; } = [];

    /// <summary>The rule's selections that match the entry on their own.</summary>
    public IReadOnlyList<string> Selections { get; init; } = [];

    /// <summary>Whether this match alone raises an alert; otherwise it counts toward <see cref="Correlations"/>.</summary>
    public bool Alerts { get; init; }

    /// <summary>The correlations this match counts toward.</summary>
    public IReadOnlyList<string> Correlations { get; init; } = [];
}
