using System.Text.Json;
using EventHub.Events.EventLog;

namespace EventHub.Events.QueryEvents;

internal static class EventJson
{
    public static void Write(Utf8JsonWriter writer, StoredEvent stored, Action<Utf8JsonWriter>? more = null)
    {
        writer.WriteStartObject();
        writer.WriteString("id", stored.Id);
        writer.WriteString("name", stored.Name);
        writer.WriteString("source", stored.Source);
        writer.WriteString("time", stored.OccurredAtTime);
        writer.WriteString("receivedAt", stored.ReceivedAtTime);
        writer.WritePropertyName("payload");
        writer.WriteRawValue(stored.Payload, skipInputValidation: true);
        more?.Invoke(writer);
        writer.WriteEndObject();
    }
}
