using System.Globalization;
using System.Text.Json;
using EventHub.Contracts;
using EventHub.Listeners.Webhooks;
using EventHub.Listeners.Filters;
using EventHub.Listeners.Redaction;

namespace EventHub.Listeners.Registry;

/// <summary>Validates a registration body, naming every bad field (<c>events[1]</c>, <c>delivery.url</c>, <c>retry.schedule[0]</c>).</summary>
internal static class RegistrationParser
{
    public static readonly int[] DefaultScheduleSeconds = [0, 5, 30, 120, 600, 3600];
    const int MaxPatterns = 50;
    const int MaxScheduleEntries = 20;
    const int MaxDelaySeconds = 24 * 3600;
    static readonly string[] Fields = ["name", "platform", "label", "events", "delivery", "retry", "since", "filter", "redact", "rateLimit"];
    static readonly string[] DeliveryFields = ["type", "url", "secret", "timeoutSeconds"];
    static readonly string[] RetryFields = ["schedule", "maxAttempts"];

    public static (ListenerRegistration? Registration, Dictionary<string, string[]> Errors) Parse(JsonElement body, ListenersOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["must be a JSON object"];
            return (null, errors);
        }

        var name = ReadText(body, "name", errors, required: true);
        var platform = ReadText(body, "platform", errors, required: false);
        var label = ReadText(body, "label", errors, required: false);
        var patterns = ReadPatterns(body, errors);
        var (type, url, secret, timeout) = ReadDelivery(body, errors, options);
        var schedule = ReadRetry(body, errors);
        var since = ReadSince(body, errors);
        var filter = body.TryGetProperty("filter", out var f) && f.ValueKind != JsonValueKind.Null ? PayloadFilter.Parse(f, "filter", errors) : null;
        var redact = body.TryGetProperty("redact", out var rd) && rd.ValueKind != JsonValueKind.Null ? RedactionRule.Parse(rd, "redact", errors) : null;
        var rateLimit = ReadRateLimit(body, errors);
        foreach (var (field, message) in KnownFields.Unknown(body, "", Fields)
            .Concat(body.TryGetProperty("delivery", out var d) ? KnownFields.Unknown(d, "delivery.", DeliveryFields) : [])
            .Concat(body.TryGetProperty("retry", out var r) ? KnownFields.Unknown(r, "retry.", RetryFields) : []))
        {
            errors[field] = [message];
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ListenerRegistration(name!, platform, label, patterns, type!, url, secret, timeout, schedule, since) { Filter = filter, Redact = redact, RateLimitPerSecond = rateLimit }, errors);
    }

    static int? ReadRateLimit(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("rateLimit", out var limit) || limit.ValueKind == JsonValueKind.Null)
            return null;
        foreach (var (field, message) in KnownFields.Unknown(limit, "rateLimit.", ["perSecond"]))
            errors[field] = [message];
        if (limit.ValueKind == JsonValueKind.Object && limit.TryGetProperty("perSecond", out var perSecond) && perSecond.TryGetInt32(out var value) && value is >= 1 and <= 10_000)
            return value;
        errors["rateLimit.perSecond"] = ["must be a whole number of deliveries a second from 1 to 10000: {\"perSecond\": 50}"];
        return null;
    }

    static DateTimeOffset? ReadSince(JsonElement body, Dictionary<string, string[]> errors) =>
        ReadTime(body, "since", errors, "matching events from the event log since then are delivered first");

    /// <summary>An optional ISO 8601 date-time field; a bad one is named in <paramref name="errors"/> with <paramref name="meaning"/>.</summary>
    internal static DateTimeOffset? ReadTime(JsonElement body, string field, Dictionary<string, string[]> errors, string meaning)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors[field] = [$"must be an ISO 8601 date-time, e.g. 2026-11-24T00:00:00Z: {meaning}"];
        return null;
    }

    static string? ReadText(JsonElement body, string field, Dictionary<string, string[]> errors, bool required)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
                errors[field] = ["is required"];
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 100 || text.Any(char.IsControl) || text.Contains('|', StringComparison.Ordinal))
        {
            errors[field] = ["must be a string of 1 to 100 characters without control characters or '|'"];
            return null;
        }

        return text;
    }

    internal static List<string> ReadPatterns(JsonElement body, Dictionary<string, string[]> errors)
    {
        var patterns = new List<string>();
        if (!body.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array || events.GetArrayLength() == 0)
        {
            errors["events"] = ["is required: a non-empty array of event names or topic patterns such as order.* or auth0.#"];
            return patterns;
        }

        if (events.GetArrayLength() > MaxPatterns)
        {
            errors["events"] = [$"has more than {MaxPatterns} patterns"];
            return patterns;
        }

        var index = 0;
        foreach (var element in events.EnumerateArray())
        {
            var text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            if (!TopicPattern.TryParse(text, out var pattern, out var error))
                errors[$"events[{index}]"] = [error ?? "must be a string"];
            else
                patterns.Add(pattern!.Text);
            index++;
        }

        return [.. patterns.Distinct(StringComparer.Ordinal)];
    }

    static (string? Type, string? Url, string? Secret, int Timeout) ReadDelivery(JsonElement body, Dictionary<string, string[]> errors, ListenersOptions options)
    {
        if (!body.TryGetProperty("delivery", out var delivery) || delivery.ValueKind != JsonValueKind.Object)
        {
            errors["delivery"] = ["is required: {\"type\": \"webhook\", \"url\": \"https://...\"} or {\"type\": \"pull\"}"];
            return (null, null, null, 0);
        }

        var type = delivery.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not (Listener.Webhook or Listener.Pull))
        {
            errors["delivery.type"] = ["must be \"webhook\" or \"pull\""];
            return (null, null, null, 0);
        }

        string? url = null;
        var text = delivery.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (type == Listener.Pull)
        {
            // A pull listener's events are fetched from GET /v1/listeners/{id}/stream: a url would never be used.
            if (text is not null)
                errors["delivery.url"] = ["is not used by a pull listener: leave it out (or use type \"webhook\")"];
        }
        else if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || text!.Length > 2048 || !string.IsNullOrEmpty(uri.UserInfo))
            errors["delivery.url"] = ["must be an absolute http or https URL of at most 2048 characters, without credentials"];
        else
            url = uri.AbsoluteUri;

        string? secret = null;
        if (delivery.TryGetProperty("secret", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            secret = s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (secret is null || !WebhookSignature.IsValidSecret(secret))
                errors["delivery.secret"] = ["must be a Standard Webhooks secret: whsec_ and 24 to 64 random bytes in base64 (or leave it out to have one generated)"];
        }

        var timeout = options.DefaultTimeoutSeconds;
        if (delivery.TryGetProperty("timeoutSeconds", out var ts) && (ts.ValueKind != JsonValueKind.Number || !ts.TryGetInt32(out timeout) || timeout is < 1 or > 60))
            errors["delivery.timeoutSeconds"] = ["must be a whole number of seconds from 1 to 60"];

        return (type, url, secret, timeout);
    }

    static int[] ReadRetry(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("retry", out var retry) || retry.ValueKind == JsonValueKind.Null)
            return DefaultScheduleSeconds;
        if (retry.ValueKind != JsonValueKind.Object)
        {
            errors["retry"] = ["must be {\"schedule\": [\"5s\", \"30s\", \"5m\"]} or {\"maxAttempts\": n}"];
            return [];
        }

        if (retry.TryGetProperty("maxAttempts", out var max))
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var attempts) || attempts is < 1 or > MaxScheduleEntries + 1)
            {
                errors["retry.maxAttempts"] = [$"must be a whole number from 1 to {MaxScheduleEntries + 1}"];
                return [];
            }

            return [.. Enumerable.Range(0, attempts - 1).Select(i => DefaultScheduleSeconds[Math.Min(i, DefaultScheduleSeconds.Length - 1)])];
        }

        if (!retry.TryGetProperty("schedule", out var schedule) || schedule.ValueKind != JsonValueKind.Array || schedule.GetArrayLength() > MaxScheduleEntries)
        {
            errors["retry.schedule"] = [$"must be an array of at most {MaxScheduleEntries} delays such as \"5s\", \"30s\", \"2m\", \"1h\""];
            return [];
        }

        var delays = new List<int>();
        var index = 0;
        foreach (var element in schedule.EnumerateArray())
        {
            if (TryReadDelay(element, out var seconds))
                delays.Add(seconds);
            else
                errors[$"retry.schedule[{index}]"] = [$"must be a delay from 0s to 24h, such as \"30s\", \"5m\", \"1h\", or a number of seconds"];
            index++;
        }

        return [.. delays];
    }

    static bool TryReadDelay(JsonElement element, out int seconds)
    {
        seconds = 0;
        if (element.ValueKind == JsonValueKind.Number)
            return element.TryGetInt32(out seconds) && seconds is >= 0 and <= MaxDelaySeconds;
        var text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (string.IsNullOrEmpty(text) || text.Length < 2)
            return false;
        var unit = text[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        if (unit == 0 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        seconds = value * unit;
        return value <= MaxDelaySeconds && seconds is >= 0 and <= MaxDelaySeconds;
    }
}
