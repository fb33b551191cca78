namespace EventHub.Events.Emit;

internal sealed record EmitOutcome(IReadOnlyList<string> Ids, int Published, int? RetryAfterSeconds)
{
    public bool IsAccepted => RetryAfterSeconds is null;

    public static EmitOutcome Accepted(IReadOnlyList<string> ids, int published) => new(ids, published, null);

    public static EmitOutcome Unavailable(int retryAfterSeconds) => new([], 0, retryAfterSeconds);
}
