using System.Text.Json;
using EventHub.Contracts;
using EventHub.Storage;

namespace EventHub.Listeners.Delivery;

/// <summary>What is delivered: the event as the listener receives it, kept with the delivery so retries need no bus.</summary>
internal sealed record DeliveryItem(string EventId, string Name, string Source, long OccurredAt, long ReceivedAt, string Payload)
{
    public static DeliveryItem From(IHubEvent e) => new(e.EventId, e.Name, e.Source, UnixMicros.From(e.OccurredAt), UnixMicros.From(e.ReceivedAt), e.Payload);

    /// <summary>
    /// The event as a webhook body or a pull stream's frame carries it: the payload as the very JSON received, and on a
    /// stream the attempt number too.
    /// </summary>
    public byte[] ToJson(int? attempt = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", EventId);
            writer.WriteString("name", Name);
            writer.WriteString("source", Source);
            writer.WriteString("time", UnixMicros.ToTime(OccurredAt));
            if (attempt is { } number)
                writer.WriteNumber("attempt", number);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(Payload, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
