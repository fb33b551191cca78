using System.Text.Json;

namespace EventHub.Client;

internal static class Json
{
    public static readonly JsonSerializerOptions Default = new(JsonSerializerDefaults.Web);

    public static HubEvent ReadEvent(JsonElement e) => new()
    {
        Id = e.GetProperty("id").GetString()!,
        Name = e.GetProperty("name").GetString()!,
        Source = e.TryGetProperty("source", out var source) ? source.GetString() ?? "" : "",
        Time = e.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.String ? time.GetDateTimeOffset() : default,
        ReceivedAt = e.TryGetProperty("receivedAt", out var received) && received.ValueKind == JsonValueKind.String ? received.GetDateTimeOffset() : null,
        Attempt = e.TryGetProperty("attempt", out var attempt) && attempt.ValueKind == JsonValueKind.Number ? attempt.GetInt32() : 0,
        Payload = e.TryGetProperty("payload", out var payload) ? payload.Clone() : default,
    };
}
