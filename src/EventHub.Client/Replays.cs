using System.Text.Json.Nodes;

namespace EventHub.Client;

/// <summary>Which past events of the event log <see cref="EventHubClient.StartReplayAsync"/> delivers to a listener again.</summary>
public sealed record ReplayRequest
{
    /// <summary>Events whose own time is at or after this.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Events whose own time is before this; null: up to now.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Event names or topic patterns narrowing the listener's; null: the listener's.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>A payload filter (the listener filter's operators); null: every event the rest selects.</summary>
    public JsonObject? Filter { get; init; }
}

/// <summary>A replay job at the hub: what it selected and how far it is.</summary>
public sealed record ReplayJob
{
    /// <summary>The job's id.</summary>
    public required string Id { get; init; }

    /// <summary>The listener it delivers to.</summary>
    public required string ListenerId { get; init; }

    /// <summary><c>replay</c> (asked for) or <c>since</c> (a registration's since).</summary>
    public required string Kind { get; init; }

    /// <summary><c>running</c>, <c>done</c>, <c>cancelled</c> or <c>failed</c>.</summary>
    public required string State { get; init; }

    /// <summary>The start of its time range.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>The end of its time range, when given.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The patterns it selects by.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>Events selected so far.</summary>
    public long Matched { get; init; }

    /// <summary>Selected events whose first attempt succeeded.</summary>
    public long Delivered { get; init; }

    /// <summary>Selected events whose first attempt failed (now on the listener's retry schedule).</summary>
    public long Failed { get; init; }

    /// <summary>Selected events left alone: already on the retry schedule, or (since) already delivered.</summary>
    public long Skipped { get; init; }

    /// <summary>How far through its time range the job is, from 0 to 1.</summary>
    public double Progress { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>When it was asked for.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>Which dead letters <see cref="EventHubClient.ReplayDeadLettersAsync(string, DeadLetterSelection, CancellationToken)"/> delivers again: every condition given must hold.</summary>
public sealed record DeadLetterSelection
{
    /// <summary>Only these events.</summary>
    public IReadOnlyList<string>? EventIds { get; init; }

    /// <summary>Only events whose name matches one of these patterns.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>Only events whose own time is at or after this.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only events whose own time is before this.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only dead letters whose last attempt was answered with one of these status codes.</summary>
    public IReadOnlyList<int>? LastStatus { get; init; }
}
