namespace EventHub.Contracts.Listeners;

/// <summary>Since when a listener's deliveries fail, how many events in a row, the last error, and when that paused it.</summary>
/// <param name="FailingSince">When the first failure in a row was.</param>
/// <param name="FailedEvents">Events failed in a row.</param>
/// <param name="LastError">The last failure's reason.</param>
/// <param name="PausedAt">When the failures paused the listener; null while it is not paused.</param>
public sealed record ListenerHealthDetails(DateTimeOffset? FailingSince, long FailedEvents, string? LastError, DateTimeOffset? PausedAt);
