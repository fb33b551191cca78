namespace EventHub.Contracts.Listeners;

/// <summary>The transaction of one event at a listener, as <c>GET /v1/listeners/{id}/transactions</c> shows it.</summary>
public sealed record ListenerTransaction
{
    /// <summary>The event's id.</summary>
    public string EventId { get; init; } = "";

    /// <summary>The event's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>pending, succeeded, failed-retrying, dead or failed.</summary>
    public string State { get; init; } = "";

    /// <summary>Attempts so far.</summary>
    public long Attempts { get; init; }

    /// <summary>When the next attempt is due, while retrying.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The last answer's HTTP status, if any came.</summary>
    public long? StatusCode { get; init; }

    /// <summary>Why the last attempt failed, if it did.</summary>
    public string? Error { get; init; }

    /// <summary>The receiver's answer (first 4 KB) or the handler's output.</summary>
    public string? Output { get; init; }

    /// <summary>Every attempt, oldest first.</summary>
    public IReadOnlyList<TransactionAttempt> History { get; init; } = [];
}
