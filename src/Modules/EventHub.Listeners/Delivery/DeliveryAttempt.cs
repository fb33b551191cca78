namespace EventHub.Listeners.Delivery;

/// <summary>One attempt of a delivery, as <c>GET .../transactions</c> shows it.</summary>
internal sealed class DeliveryAttempt
{
    public string EventId { get; init; } = "";
    public long Attempt { get; init; }
    public long At { get; init; }
    public long? StatusCode { get; init; }
    public long DurationMs { get; init; }
    public string? Error { get; init; }
    public long Replay { get; init; }
}
