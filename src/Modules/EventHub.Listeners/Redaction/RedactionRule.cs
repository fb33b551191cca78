using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EventHub.Listeners.Redaction;

/// <summary>
/// What a listener's deliveries hide of the payload: the values at <c>paths</c>, and with the <c>auth0-pii</c> preset
/// the personal data of Auth0 entries wherever it sits. <c>mask</c> replaces a value with <c>[redacted]</c>;
/// <c>hash</c> with <c>hmac:</c> and a keyed HMAC-SHA256 of it (see <see cref="RedactionKey"/>), so equal values stay
/// equal, and joinable, without being readable.
/// </summary>
internal sealed partial class RedactionRule
{
    public const string Masked = "[redacted]";
    public const string Auth0Pii = "auth0-pii";
    static readonly string[] Fields = ["paths", "preset", "mode"];

    // Auth0's entries name personal data in these properties, at the top and in `details` (request bodies, user
    // profiles, headers). Values anywhere else that hold an email address or an IP address are caught by their shape:
    // real entries carry emails in `name`, `description` and error messages too.
    static readonly HashSet<string> Auth0PiiProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "email", "user_name", "username", "user_email", "given_name", "family_name", "nickname", "phone", "phone_number",
        "phoneNumber", "ip", "client_ip", "clientIP", "x-forwarded-for", "x-real-ip", "user_agent", "userAgent", "user-agent",
        "ua", "address", "location_info",
    };

    readonly List<string[]> _paths;

    RedactionRule(List<string[]> paths, bool auth0Pii, bool hash, string json)
    {
        _paths = paths;
        IsAuth0Pii = auth0Pii;
        Hash = hash;
        Json = json;
    }

    public bool IsAuth0Pii { get; }

    public bool Hash { get; }

    /// <summary>The rule as given, to store and to show.</summary>
    public string Json { get; }

    public static RedactionRule? Parse(JsonElement element, string field, IDictionary<string, string[]> errors)
    {
        var before = errors.Count;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors[field] = ["must be {\"paths\": [\"payload.ip\", ...], \"preset\"?: \"auth0-pii\", \"mode\"?: \"mask\" | \"hash\"}"];
            return null;
        }

        foreach (var (name, message) in Contracts.KnownFields.Unknown(element, field + ".", Fields))
            errors[name] = [message];

        var paths = new List<string[]>();
        if (element.TryGetProperty("paths", out var given))
        {
            if (given.ValueKind != JsonValueKind.Array || given.GetArrayLength() > 100)
                errors[$"{field}.paths"] = ["must be an array of at most 100 paths such as payload.ip or payload.details.email"];
            else
            {
                var index = 0;
                foreach (var path in given.EnumerateArray())
                {
                    var segments = path.ValueKind == JsonValueKind.String ? path.GetString()!.Split('.') : [];
                    if (segments is not ["payload", _, ..] || segments.Any(s => s.Length == 0) || path.GetString()!.Length > 256)
                        errors[$"{field}.paths[{index}]"] = ["must be a path into the payload: payload.a.b (dotted, a number for an array item)"];
                    else
                        paths.Add(segments);
                    index++;
                }
            }
        }

        var preset = element.TryGetProperty("preset", out var p) && p.ValueKind != JsonValueKind.Null ? p.ValueKind == JsonValueKind.String ? p.GetString() : "" : null;
        if (preset is not (null or Auth0Pii))
            errors[$"{field}.preset"] = [$"must be \"{Auth0Pii}\""];
        var mode = element.TryGetProperty("mode", out var m) && m.ValueKind != JsonValueKind.Null ? m.ValueKind == JsonValueKind.String ? m.GetString() : "" : "mask";
        if (mode is not ("mask" or "hash"))
            errors[$"{field}.mode"] = ["must be \"mask\" or \"hash\""];
        if (paths.Count == 0 && preset is null && errors.Count == before)
            errors[field] = ["names nothing to redact: give paths, a preset, or both"];

        return errors.Count == before ? new RedactionRule(paths, preset == Auth0Pii, mode == "hash", element.GetRawText()) : null;
    }

    public static RedactionRule FromStored(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new Dictionary<string, string[]>();
        return Parse(document.RootElement, "redact", errors) ?? throw new InvalidOperationException($"A stored redaction no longer parses: {string.Join("; ", errors.Keys)}");
    }

    /// <summary>The payload with what this rule hides replaced; <paramref name="hash"/> turns a value's text into its token.</summary>
    public string Apply(string payload, Func<string, string> hash)
    {
        var root = JsonNode.Parse(payload);
        if (root is null)
            return payload;
        string Hide(string text) => Hash ? hash(text) : Masked;
        JsonNode Replace(JsonNode? value) => JsonValue.Create(Hide(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null"));

        foreach (var path in _paths)
        {
            var parent = root;
            foreach (var segment in path[1..^1])
                parent = Child(parent, segment);
            switch (parent)
            {
                case JsonObject o when o.ContainsKey(path[^1]):
                    o[path[^1]] = Replace(o[path[^1]]);
                    break;
                case JsonArray a when int.TryParse(path[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                    a[i] = Replace(a[i]);
                    break;
            }
        }

        if (IsAuth0Pii)
            root = Scrub(root, Hide, Replace);
        return root.ToJsonString();
    }

    static JsonNode? Child(JsonNode? node, string segment) => node switch
    {
        JsonObject o => o[segment],
        JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    /// <summary>Every property named as personal data is replaced whole; every other string loses the emails and IP addresses in it.</summary>
    static JsonNode Scrub(JsonNode node, Func<string, string> hide, Func<JsonNode?, JsonNode> replace)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (o[key] is not { } child)
                        continue;
                    var scrubbed = Auth0PiiProperties.Contains(key) ? replace(child) : Scrub(child, hide, replace);
                    if (!ReferenceEquals(scrubbed, child))
                        o[key] = scrubbed;
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } item && Scrub(item, hide, replace) is var scrubbed && !ReferenceEquals(scrubbed, item))
                        a[i] = scrubbed;
                }

                return a;
            case JsonValue v when v.TryGetValue<string>(out var text):
                var cleaned = Personal().Replace(text, match => match.Groups["v6"].Success && !IsIPv6(match.Value) ? match.Value : hide(match.Value));
                return cleaned == text ? v : JsonValue.Create(cleaned);
            default:
                return node;
        }
    }

    static bool IsIPv6(string text) => IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    // An email address; an IPv4 address; a run of hex digits, colons and dots with two colons or more, hidden when it
    // parses as an IPv6 address (so a time such as 13:11:18 stays).
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|(?<v6>(?<![\w:.])[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?![\w:]))", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Personal();
}
