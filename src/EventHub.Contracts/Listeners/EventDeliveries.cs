namespace EventHub.Contracts.Listeners;

/// <summary>The delivery records of one event, one per listener that received it.</summary>
public sealed record EventDeliveries
{
    /// <summary>The event's id.</summary>
    public string EventId { get; init; } = "";

    /// <summary>One record per listener.</summary>
    public IReadOnlyList<EventDelivery> Deliveries { get; init; } = [];
}
