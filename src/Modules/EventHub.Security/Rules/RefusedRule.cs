namespace EventHub.Security.Rules;

/// <summary>A rule document that could not be used, with where it is and why.</summary>
internal sealed record RefusedRule(string File, long Line, string? Title, string Reason);
