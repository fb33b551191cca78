using System.Globalization;
using System.Text.Json;

namespace EventHub.Auth0.EventStreams;

/// <summary>
/// Reads structured-mode CloudEvents 1.0 JSON as Auth0 Event Streams sends it: one event (<c>application/cloudevents+json</c>
/// or <c>application/json</c>) or a batch (<c>application/cloudevents-batch+json</c>, or a JSON array). The request is
/// valid as a whole or rejected as a whole, each problem named by its field (<c>id</c>, <c>[3].specversion</c>), so
/// nothing of a bad request is published and Auth0 is not asked to resend a body that can never succeed.
/// </summary>
internal static class CloudEventParser
{
    public const string SingleMediaType = "application/cloudevents+json";
    public const string BatchMediaType = "application/cloudevents-batch+json";
    const int MaxIdLength = 255;

    public static CloudEventBatch Parse(ReadOnlyMemory<byte> body, string mediaType, int maxEvents)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return Failed("body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            var errors = new Dictionary<string, List<string>>();
            var events = new List<CloudEvent>();
            if (root.ValueKind == JsonValueKind.Array)
            {
                if (mediaType == SingleMediaType)
                    return Failed("body", $"must be one CloudEvent object for {SingleMediaType}; send a batch as {BatchMediaType}");
                var count = root.GetArrayLength();
                if (count > maxEvents)
                    return new CloudEventBatch([], new Dictionary<string, string[]> { ["body"] = [$"has {count} events: at most {maxEvents} per request (EventHub__Auth0__EventStreams__MaxEvents)"] }, TooMany: true);
                var index = 0;
                foreach (var element in root.EnumerateArray())
                    Add(events, Read(element, $"[{index++}]", errors));
            }
            else if (mediaType == BatchMediaType)
            {
                return Failed("body", $"must be a JSON array of CloudEvents for {BatchMediaType}");
            }
            else
            {
                Add(events, Read(root, "", errors));
            }

            return errors.Count == 0
                ? new CloudEventBatch(events, new Dictionary<string, string[]>())
                : new CloudEventBatch([], errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }

    static CloudEvent? Read(JsonElement element, string position, Dictionary<string, List<string>> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            AddError(errors, position.Length == 0 ? "body" : position, "must be a CloudEvent JSON object");
            return null;
        }

        var prefix = position.Length == 0 ? "" : position + ".";
        var before = errors.Count;
        var version = String(element, "specversion");
        if (version is null)
            AddError(errors, prefix + "specversion", "is required: the string \"1.0\"");
        else if (version != "1.0")
            AddError(errors, prefix + "specversion", $"'{Truncate(version)}' is not supported: only CloudEvents \"1.0\"");

        var id = String(element, "id");
        if (string.IsNullOrEmpty(id))
            AddError(errors, prefix + "id", "is required: the event's unique id (evt_...)");
        else if (id.Length > MaxIdLength || id.Any(char.IsControl) || id.Trim().Length != id.Length)
            AddError(errors, prefix + "id", $"must be 1 to {MaxIdLength} characters without control characters or surrounding spaces");

        var type = String(element, "type");
        if (string.IsNullOrWhiteSpace(type))
            AddError(errors, prefix + "type", "is required: the event type, e.g. user.created");
        else if (type.Length > 200 || type.Any(char.IsControl))
            AddError(errors, prefix + "type", "must be at most 200 characters without control characters");

        var source = String(element, "source");
        if (string.IsNullOrEmpty(source))
            AddError(errors, prefix + "source", "is required: a URI-reference such as urn:auth0:my-tenant.us.auth0.com");

        DateTimeOffset? time = null;
        if (element.TryGetProperty("time", out var timeElement) && timeElement.ValueKind != JsonValueKind.Null)
        {
            if (timeElement.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(timeElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                time = parsed;
            }
            else
            {
                AddError(errors, prefix + "time", "must be an RFC 3339 date-time, e.g. 2026-11-20T10:15:30.123Z");
            }
        }

        var tenant = Extension(element, "a0tenant", prefix, errors);
        var stream = Extension(element, "a0stream", prefix, errors);
        var purpose = Extension(element, "a0purpose", prefix, errors);
        if (element.TryGetProperty("data_base64", out _))
            AddError(errors, prefix + "data_base64", "is not supported: Auth0 sends the event's JSON in data");
        if (errors.Count != before)
            return null;

        var (dataObject, userId, organizationId) = ReadData(element, type!);
        return new CloudEvent(id!, type!, source!, time, tenant, stream, purpose, element.GetRawText(), dataObject, userId, organizationId);
    }

    /// <summary>
    /// <c>data.object</c> and the ids a consumer keys on. Users carry <c>user_id</c>; organizations <c>id</c>; membership, role
    /// and connection events carry <c>user</c> and <c>organization</c> objects. Anything else stays only in the raw JSON.
    /// </summary>
    static (string DataObject, string? UserId, string? OrganizationId) ReadData(JsonElement element, string type)
    {
        if (!element.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("object", out var value))
        {
            return ("null", null, null);
        }

        if (value.ValueKind != JsonValueKind.Object)
            return (value.GetRawText(), null, null);

        var userId = String(value, "user_id");
        if (userId is null && value.TryGetProperty("user", out var user) && user.ValueKind == JsonValueKind.Object)
            userId = String(user, "user_id");
        string? organizationId = null;
        if (value.TryGetProperty("organization", out var organization) && organization.ValueKind == JsonValueKind.Object)
            organizationId = String(organization, "id");
        else if (type.StartsWith("organization.", StringComparison.Ordinal))
            organizationId = String(value, "id");
        return (value.GetRawText(), userId, organizationId);
    }

    static string? Extension(JsonElement element, string name, string prefix, Dictionary<string, List<string>> errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        AddError(errors, prefix + name, "must be a string (a CloudEvents extension attribute)");
        return null;
    }

    static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static void Add(List<CloudEvent> events, CloudEvent? cloudEvent)
    {
        if (cloudEvent is not null)
            events.Add(cloudEvent);
    }

    static void AddError(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
            errors[field] = messages = [];
        messages.Add(message);
    }

    static CloudEventBatch Failed(string field, string message) =>
        new([], new Dictionary<string, string[]> { [field] = [message] });

    static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
