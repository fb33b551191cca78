namespace EventHub.Listeners.Delivery;

/// <summary>One attempt's outcome: the status (null when no response came), how long it took, the response's first 4 KB or the error.</summary>
internal sealed record SendResult(int? StatusCode, int DurationMs, string? Output, string? Error, TimeSpan? RetryAfter)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    public bool Gone => StatusCode == 410;
}
