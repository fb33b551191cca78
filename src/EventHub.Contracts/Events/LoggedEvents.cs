namespace EventHub.Contracts.Events;

/// <summary>A page of the event log.</summary>
public sealed record LoggedEvents
{
    /// <summary>The events, in log order.</summary>
    public IReadOnlyList<EmittedEvent> Items { get; init; } = [];

    /// <summary>The cursor of the next page; null at the end.</summary>
    public long? Next { get; init; }
}
