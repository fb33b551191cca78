namespace EventHub.Events.Emit;

/// <summary>One event of an emit request after validation; <see cref="Id"/> is null when the emitter gave none.</summary>
internal sealed record EmitCandidate(string? Id, string Name, DateTimeOffset? Time, string Payload);
