namespace EventHub.Events.Emit;

/// <summary>What a body parsed into: the events, or the problems per field (<c>[2].name</c>) when any is invalid.</summary>
internal sealed record EmitRequest(IReadOnlyList<EmitCandidate> Events, IReadOnlyDictionary<string, string[]> Errors, bool IsBatch)
{
    public bool IsValid => Errors.Count == 0;
}
