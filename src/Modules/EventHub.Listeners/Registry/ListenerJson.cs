using System.Text.Json.Nodes;

namespace EventHub.Listeners.Registry;

/// <summary>A listener as the API shows it; the secret only in the answer that created or rotated it.</summary>
internal static class ListenerJson
{
    public static Dictionary<string, object?> Of(Listener listener, bool withSecret) => new()
    {
        ["id"] = listener.Id,
        ["name"] = listener.Name,
        ["platform"] = listener.Platform,
        ["label"] = listener.Label,
        ["events"] = listener.Patterns,
        ["delivery"] = new Dictionary<string, object?> { ["type"] = listener.DeliveryType, ["url"] = listener.Url, ["timeoutSeconds"] = listener.TimeoutSeconds },
        ["retry"] = new { schedule = listener.RetryScheduleSeconds.Select(s => $"{s}s"), maxAttempts = listener.MaxAttempts },
        ["filter"] = listener.Filter is { } filter ? JsonNode.Parse(filter.Json) : null,
        ["filtered"] = listener.Filtered,
        ["rateLimit"] = listener.RateLimitPerSecond is { } perSecond ? new { perSecond } : null,
        ["redact"] = listener.Redact is { } redact ? JsonNode.Parse(redact.Json) : null,
        ["state"] = listener.State,
        ["owner"] = listener.Owner,
        ["health"] = listener.Health is { } health
            ? new { failingSince = health.FailingSince, failedEvents = health.FailedEvents, lastError = health.LastError, pausedAt = health.PausedAt }
            : null,
        ["queue"] = listener.QueueName,
        ["secret"] = withSecret ? listener.Secret : null,
    };
}
