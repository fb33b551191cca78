namespace EventHub.Listeners.Replays;

/// <summary>
/// Past events of the event log delivered to a listener again, as a job any copy can continue: the selection, the
/// cursor (the log position done so far), the counts, and the copy that holds it until its lease runs out.
/// </summary>
internal sealed record ReplayJob
{
    /// <summary>A registration's <c>since</c>: delivers what the listener has not had yet, once, like a live event.</summary>
    public const string Since = "since";

    /// <summary>A replay asked for: delivers every selected event again, with its original webhook-id.</summary>
    public const string Replay = "replay";

    public string Id { get; init; } = "";
    public string ListenerId { get; init; } = "";
    public string? Owner { get; init; }
    public string Kind { get; init; } = Replay;
    public string Patterns { get; init; } = "[]";
    public string? Filter { get; init; }
    public long FromTime { get; init; }
    public long? ToTime { get; init; }
    public long Cursor { get; init; }
    public long Matched { get; init; }
    public long Delivered { get; init; }
    public long Failed { get; init; }
    public long Skipped { get; init; }

    /// <summary>The time of the last event done, to show progress through the time range.</summary>
    public long? PositionTime { get; init; }

    public string State { get; init; } = ReplayJobStates.Running;
    public string? Error { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long? FinishedAt { get; init; }
}

internal static class ReplayJobStates
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
}
