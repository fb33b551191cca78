namespace EventHub.Events;

internal sealed class EventsOptions
{
    public const string Section = "EventHub:Emit";

    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    public int MaxRequestBytes { get; init; } = 5 * 1024 * 1024;

    public int MaxBatchSize { get; init; } = 1000;

    /// <summary>How long an emit waits for the broker's confirms before answering 503.</summary>
    public TimeSpan ConfirmTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int RetryAfterSeconds { get; init; } = 10;

    /// <summary>How long an emitted id (or Idempotency-Key) is remembered: the same id again within it is accepted, not published again.</summary>
    public TimeSpan IdempotencyWindow { get; init; } = TimeSpan.FromHours(24);
}
