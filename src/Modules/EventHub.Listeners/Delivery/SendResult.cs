namespace EventHub.Listeners.Delivery;

/// <summary>One attempt's outcome: the status (null when no response came), how long it took, the response's first 4 KB or the error.</summary>
internal sealed record SendResult(int? StatusCode, int DurationMs, string? Output, string? Error, TimeSpan? RetryAfter)
{
    /// <summary>A pull client's acknowledgement (true: succeeded, false: failed); null for webhooks, where the status decides.</summary>
    public bool? Acknowledged { get; init; }

    public bool Succeeded => Acknowledged ?? StatusCode is >= 200 and < 300;

    public bool Gone => StatusCode == 410;
}
