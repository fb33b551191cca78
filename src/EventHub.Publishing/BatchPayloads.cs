using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EventHub.Contracts;
using EventHub.Contracts.Auth0;

namespace EventHub.Publishing;

/// <summary>
/// An event's payload in a batch message (docs/adr/0038): written as the payload's JSON itself, read back as the exact text
/// it was written from; a JSON string, as releases before wrote every payload, is read too. Reading a payload as a value costs no unescaping: it is
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

    /// <summary>
    /// An object or array as itself; anything else as a string, which every release reads: a bare <c>null</c> would read
    /// back as no payload, white space around a value would not read back at all, and what is not one JSON value, text
    /// that is not valid UTF-16, or a value nested deeper than <see cref="MaxDepth"/> would fail the whole batch.
    /// </summary>
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (value is ['{', .., '}'] or ['[', .., ']'])
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Strict.GetMaxByteCount(value.Length));
            try
            {
                var json = buffer.AsSpan(0, Strict.GetBytes(value, buffer));
                if (IsOneValue(json))
                {
                    writer.WriteRawValue(json, skipInputValidation: true);
                    return;
                }
            }
            catch (EncoderFallbackException)
            {
                // A lone surrogate: not text UTF-8 can carry.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        writer.WriteStringValue(value);
    }

    // A batch holds a payload three levels down (the batch, its list, the event), and is read within System.Text.Json's
    // default depth of 64: a deeper payload goes as a string, or one hostile event would fail every event of its batch.
    const int MaxDepth = 64 - 3;

    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static bool IsOneValue(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            reader.Read();
            reader.Skip();
            return reader.BytesConsumed == json.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
