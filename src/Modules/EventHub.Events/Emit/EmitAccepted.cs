namespace EventHub.Events.Emit;

/// <summary>The 202 body: the id of every event of the request, in order.</summary>
internal sealed record EmitAccepted(IReadOnlyList<string> Ids);
