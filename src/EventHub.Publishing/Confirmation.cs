namespace EventHub.Publishing;

/// <summary>What became of a request's publishes: all confirmed by the broker, or refused with why (for the log, never the caller).</summary>
public sealed record Confirmation(string? Refusal)
{
    public static readonly Confirmation Confirmed = new((string?)null);

    public bool IsConfirmed => Refusal is null;
}
