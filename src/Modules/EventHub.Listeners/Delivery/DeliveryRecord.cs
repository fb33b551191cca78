namespace EventHub.Listeners.Delivery;

/// <summary>One row of <c>deliveries</c>: the transaction of an event at a listener.</summary>
internal sealed class DeliveryRecord
{
    public string ListenerId { get; init; } = "";
    public string EventId { get; init; } = "";
    public string EventName { get; init; } = "";
    public string EventSource { get; init; } = "";
    public long OccurredAt { get; init; }
    public long ReceivedAt { get; init; }
    public string Payload { get; init; } = "null";
    public string State { get; init; } = "";
    public long Attempts { get; init; }
    public long? NextAttemptAt { get; init; }
    public long? LastStatus { get; init; }
    public string? LastError { get; init; }
    public string? Output { get; init; }
    public long ReplayPending { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }

    public DeliveryItem Item => new(EventId, EventName, EventSource, OccurredAt, ReceivedAt, Payload);
}
