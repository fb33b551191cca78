namespace EventHub.Contracts.Listeners;

/// <summary>The transaction of one event at one listener.</summary>
public sealed record EventDelivery
{
    /// <summary>The listener's id.</summary>
    public string ListenerId { get; init; } = "";

    /// <summary>pending, succeeded, failed-retrying, dead or failed.</summary>
    public string State { get; init; } = "";

    /// <summary>Attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>The last answer's HTTP status, if any came.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why the last attempt failed, if it did.</summary>
    public string? Error { get; init; }

    /// <summary>The receiver's answer (first 4 KB) or the handler's output.</summary>
    public string? Output { get; init; }

    /// <summary>When the record last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
