using System.Globalization;
using System.Text;
using System.Text.Json;
using EventHub.Contracts;

namespace EventHub.Events.Emit;

/// <summary>
/// Reads an emit body: one event <c>{name, payload, id?, time?}</c> or an array of them, or CloudEvents 1.0 in
/// structured JSON (single or batch). Validates every event and names each problem's field (<c>[3].name</c>),
/// so a batch is either wholly valid or rejected whole. The Buildable shape (<c>POST /emit</c>) is the plain one with the
/// name in <c>event</c>: <c>{"event": "my-first-event", "payload": {...}}</c>.
/// </summary>
internal static class EmitBodyParser
{
    const int MaxIdLength = 255;

    public static EmitRequest Parse(ReadOnlyMemory<byte> body, string? mediaType, EventsOptions options, EmitShape shape = EmitShape.Hub)
    {
        var cloudEvents = shape == EmitShape.Hub && mediaType is "application/cloudevents+json" or "application/cloudevents-batch+json";
        var nameProperty = shape == EmitShape.Buildable ? "event" : "name";
        var errors = new Dictionary<string, List<string>>();
        // JsonDocument checks UTF-8 only when a string is decoded, which would throw past the point of a clean 400.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            return Failed("body", "is not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return Failed("body", $"is not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            var events = new List<EmitCandidate>();
            if (cloudEvents && mediaType == "application/cloudevents-batch+json" && root.ValueKind != JsonValueKind.Array)
                return Failed("body", "must be a JSON array of CloudEvents for application/cloudevents-batch+json");

            if (root.ValueKind == JsonValueKind.Object)
            {
                Add(events, Read(root, "", cloudEvents, nameProperty, errors, options));
                return Result(events, errors, isBatch: false);
            }

            if (root.ValueKind != JsonValueKind.Array)
                return Failed("body", "must be an event object or a JSON array of events");
            var count = root.GetArrayLength();
            if (count == 0)
                return Failed("body", "is an empty array: send at least one event");
            if (count > options.MaxBatchSize)
                return Failed("body", $"has {count} events: at most {options.MaxBatchSize} per request");

            var index = 0;
            foreach (var element in root.EnumerateArray())
                Add(events, Read(element, $"[{index++}].", cloudEvents, nameProperty, errors, options));
            return Result(events, errors, isBatch: true);
        }
    }

    static EmitCandidate? Read(JsonElement element, string prefix, bool cloudEvent, string nameProperty, Dictionary<string, List<string>> errors, EventsOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            AddError(errors, prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "must be a JSON object");
            return null;
        }

        return cloudEvent ? ReadCloudEvent(element, prefix, errors, options) : ReadPlain(element, prefix, nameProperty, errors, options);
    }

    static EmitCandidate? ReadPlain(JsonElement element, string prefix, string nameProperty, Dictionary<string, List<string>> errors, EventsOptions options)
    {
        var before = errors.Count;
        var name = ReadName(element, nameProperty, prefix, errors);
        string? payload = null;
        if (!element.TryGetProperty("payload", out var payloadElement))
            AddError(errors, prefix + "payload", "is required: any JSON value");
        else
            payload = ReadPayload(payloadElement, prefix + "payload", errors, options);
        var id = ReadId(element, "id", prefix, errors, required: false);
        var time = ReadTime(element, prefix, errors);
        // Buildable's clients own the /emit shape, as CloudEvents producers own their extension attributes: only the
        // hub's own shape refuses fields it does not know.
        if (nameProperty == "name")
        {
            foreach (var (field, message) in KnownFields.Unknown(element, prefix, PlainFields))
                AddError(errors, field, message);
        }

        return errors.Count == before ? new EmitCandidate(id, name!, time, payload!) : null;
    }

    static readonly string[] PlainFields = ["name", "payload", "id", "time"];

    static EmitCandidate? ReadCloudEvent(JsonElement element, string prefix, Dictionary<string, List<string>> errors, EventsOptions options)
    {
        var before = errors.Count;
        if (!element.TryGetProperty("specversion", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "1.0")
            AddError(errors, prefix + "specversion", "must be \"1.0\"");
        if (!element.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(source.GetString()))
            AddError(errors, prefix + "source", "is required: a non-empty URI-reference");
        var name = ReadName(element, "type", prefix, errors);
        var id = ReadId(element, "id", prefix, errors, required: true);
        var time = ReadTime(element, prefix, errors);
        if (element.TryGetProperty("data_base64", out _))
            AddError(errors, prefix + "data_base64", "is not supported: send the event's JSON in data");
        var payload = element.TryGetProperty("data", out var data) ? ReadPayload(data, prefix + "data", errors, options) : "null";
        return errors.Count == before ? new EmitCandidate(id, name!, time, payload!) : null;
    }

    static string? ReadName(JsonElement element, string property, string prefix, Dictionary<string, List<string>> errors)
    {
        var field = prefix + property;
        if (!element.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            AddError(errors, field, "is required: a lowercase dotted event name such as order.placed");
            return null;
        }

        var name = value.GetString()!;
        if (!EventName.IsValid(name))
        {
            AddError(errors, field, $"'{Truncate(name)}' is not a valid event name: lowercase words of a-z, 0-9, '_' or '-' separated by dots, at most {EventName.MaxLength} characters");
            return null;
        }

        if (EventName.ReservedWord(name) is { } reserved)
        {
            AddError(errors, field, $"uses the reserved prefix '{reserved}.': only the hub itself (its Auth0 ingress, its detections) emits those events");
            return null;
        }

        return name;
    }

    static string? ReadPayload(JsonElement value, string field, Dictionary<string, List<string>> errors, EventsOptions options)
    {
        var raw = value.GetRawText();
        if (Encoding.UTF8.GetByteCount(raw) > options.MaxPayloadBytes)
        {
            AddError(errors, field, $"is larger than {options.MaxPayloadBytes} bytes");
            return null;
        }

        return raw;
    }

    static string? ReadId(JsonElement element, string property, string prefix, Dictionary<string, List<string>> errors, bool required)
    {
        var field = prefix + property;
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
                AddError(errors, field, "is required");
            return null;
        }

        var id = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || id.Any(char.IsControl) || id.Trim().Length != id.Length)
        {
            AddError(errors, field, $"must be a string of 1 to {MaxIdLength} characters without control characters or surrounding spaces");
            return null;
        }

        return id;
    }

    static DateTimeOffset? ReadTime(JsonElement element, string prefix, Dictionary<string, List<string>> errors)
    {
        if (!element.TryGetProperty("time", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        AddError(errors, prefix + "time", "must be an ISO 8601 / RFC 3339 date-time, e.g. 2026-11-24T10:15:30Z");
        return null;
    }

    static void Add(List<EmitCandidate> events, EmitCandidate? candidate)
    {
        if (candidate is not null)
            events.Add(candidate);
    }

    static void AddError(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
            errors[field] = messages = [];
        messages.Add(message);
    }

    static EmitRequest Failed(string field, string message) =>
        new([], new Dictionary<string, string[]> { [field] = [message] }, IsBatch: false);

    static EmitRequest Result(List<EmitCandidate> events, Dictionary<string, List<string>> errors, bool isBatch) =>
        errors.Count == 0
            ? new EmitRequest(events, new Dictionary<string, string[]>(), isBatch)
            : new EmitRequest([], errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), isBatch);

    static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
