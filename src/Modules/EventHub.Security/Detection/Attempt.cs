namespace EventHub.Security.Detection;

/// <summary>One failed login as a detection keeps it: <see cref="Subject"/> is what is counted distinctly (the entry itself, or the user).</summary>
internal sealed record Attempt(string LogId, DateTimeOffset At, string Subject, string? Ip, string Code);
