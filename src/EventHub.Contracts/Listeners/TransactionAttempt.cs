namespace EventHub.Contracts.Listeners;

/// <summary>One attempt of a transaction.</summary>
/// <param name="Attempt">Its number, from 1.</param>
/// <param name="At">When it was made.</param>
/// <param name="StatusCode">The answer's HTTP status, if one came.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Error">Why it failed, if it did.</param>
/// <param name="Replay">Whether it was a replay of a dead letter.</param>
public sealed record TransactionAttempt(long Attempt, DateTimeOffset At, long? StatusCode, long DurationMs, string? Error, bool Replay);
