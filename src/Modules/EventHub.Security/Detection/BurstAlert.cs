namespace EventHub.Security.Detection;

/// <summary>What an alert said, kept with the state so a redelivered trigger raises exactly the same alert again.</summary>
internal sealed record BurstAlert(string EventId, string TriggerLogId, List<Attempt> Window);
