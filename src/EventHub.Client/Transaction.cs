namespace EventHub.Client;

/// <summary>The record of one event at one listener: its state, attempts and the handler's (or webhook receiver's) output.</summary>
public sealed record Transaction
{
    /// <summary>The event's id.</summary>
    public required string EventId { get; init; }

    /// <summary>The event's name.</summary>
    public required string Name { get; init; }

    /// <summary><c>pending</c>, <c>succeeded</c>, <c>failed-retrying</c>, <c>dead</c> or <c>failed</c>.</summary>
    public required string State { get; init; }

    /// <summary>Attempts in the current retry schedule.</summary>
    public int Attempts { get; init; }

    /// <summary>When the next retry is due, while <see cref="State"/> is <c>failed-retrying</c>.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The webhook receiver's last status code (null for pull listeners).</summary>
    public int? StatusCode { get; init; }

    /// <summary>The last error: the handler's exception message, a timeout, a lost stream.</summary>
    public string? Error { get; init; }

    /// <summary>What the handler returned, as JSON (a webhook receiver's response body for webhooks).</summary>
    public string? Output { get; init; }

    /// <summary>Every attempt, oldest first.</summary>
    public IReadOnlyList<TransactionAttempt> History { get; init; } = [];
}

/// <summary>One attempt of a delivery.</summary>
public sealed record TransactionAttempt
{
    /// <summary>The attempt's number, counting every attempt including replays.</summary>
    public int Attempt { get; init; }

    /// <summary>When its outcome was recorded.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The webhook receiver's status code (null for pull listeners and connection errors).</summary>
    public int? StatusCode { get; init; }

    /// <summary>From sending the event to its outcome, in milliseconds.</summary>
    public long DurationMs { get; init; }

    /// <summary>Why the attempt failed; null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>Whether it was an attempt of a replayed dead letter.</summary>
    public bool Replay { get; init; }
}
