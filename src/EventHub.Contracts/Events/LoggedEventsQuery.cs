namespace EventHub.Contracts.Events;

/// <summary>A page of the event log to read through <see cref="IEventLogReader"/>, e.g. to replay a new listener's past.</summary>
public sealed record LoggedEventsQuery
{
    /// <summary>Topic patterns; an event matching any of them is returned.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>Only events whose own time is at or after this.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>Only events whose own time is before this; null for no end.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The cursor of the previous page; 0 for the first.</summary>
    public long After { get; init; }

    /// <summary>At most this many events.</summary>
    public int Limit { get; init; } = 50;
}
