using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;

namespace EventHub.Publishing;

/// <summary>
/// An event's payload in a batch message (docs/adr/0038): a JSON string, as every release has written it, or the payload's
/// JSON itself, read back as the exact text it was written from. Reading a payload as a value costs no unescaping: it is
/// the slice of the body between the value's first and last byte, turned into a string once.
/// </summary>
internal sealed class BatchPayloads : JsonConverter<string>
{
    public static readonly BatchPayloads Instance = new();

    [ThreadStatic]
    static ReadOnlyMemory<byte> body;

    BatchPayloads()
    {
    }

    /// <summary>Puts the converter on the payload of both kinds of event a batch carries.</summary>
    public static void Modify(JsonTypeInfo type)
    {
        if (type.Type != typeof(Auth0LogEntryValues) && type.Type != typeof(HubEventRecord))
            return;
        foreach (var property in type.Properties)
        {
            if (string.Equals(property.Name, nameof(IHubEvent.Payload), StringComparison.OrdinalIgnoreCase))
                property.CustomConverter = Instance;
        }
    }

    /// <summary>Deserializes <paramref name="json"/>, the whole of one message body, with its payloads read where they are.</summary>
    public static T? Read<T>(ReadOnlyMemory<byte> json, JsonSerializerOptions options)
    {
        body = json;
        try
        {
            return JsonSerializer.Deserialize<T>(json.Span, options);
        }
        finally
        {
            body = default;
        }
    }

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString()!;

        // The reader runs over one span (Read above), so its indexes are offsets into the body.
        if (body.IsEmpty || reader.HasValueSequence)
        {
            using var value = JsonDocument.ParseValue(ref reader);
            return value.RootElement.GetRawText();
        }

        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        return Encoding.UTF8.GetString(body.Span[start..checked((int)reader.BytesConsumed)]);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
