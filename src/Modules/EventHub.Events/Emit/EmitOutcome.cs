namespace EventHub.Events.Emit;

internal sealed record EmitOutcome(IReadOnlyList<string> Ids, int Published, int? RetryAfterSeconds, string? TakenId = null)
{
    public bool IsAccepted => RetryAfterSeconds is null && TakenId is null;

    /// <summary>Nothing published: <paramref name="id"/> was first emitted by another source.</summary>
    public static EmitOutcome Taken(string id) => new([], 0, null, id);

    public static EmitOutcome Accepted(IReadOnlyList<string> ids, int published) => new(ids, published, null);

    public static EmitOutcome Unavailable(int retryAfterSeconds) => new([], 0, retryAfterSeconds);
}
