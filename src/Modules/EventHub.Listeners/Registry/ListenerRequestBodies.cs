using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace EventHub.Listeners.Registry;

/// <summary>
/// The request bodies of the listener endpoints in the OpenAPI document. Described here rather than with Accepts():
/// that would make ASP.NET refuse unlabelled JSON with a 415. <c>additionalProperties: false</c> says what the parsers
/// do: an unknown field is a 400 naming it.
/// </summary>
internal static class ListenerRequestBodies
{
    const string FilterDescription =
        "Only events this matches are delivered; the others are acknowledged and counted in `filtered`. Keys are dotted paths "
        + "(id, name, source, time, payload.a.b, a number for an array item) or $and/$or (arrays of filters) and $not; a path's value is a "
        + "literal (equality) or operators: $eq, $ne, $in, $nin, $exists, $gt, $gte, $lt, $lte (numbers or ISO 8601 times), $prefix, $suffix, "
        + "$contains, $cidr (IPv4 or IPv6 networks), $not.";

    public static readonly JsonNode RegisterExample = JsonNode.Parse("""
        {
          "name": "siem", "platform": "security", "label": "prod",
          "events": ["auth0.#"],
          "delivery": {"type": "webhook", "url": "https://siem.example.com/hooks/eventhub", "timeoutSeconds": 15},
          "retry": {"schedule": ["0s", "5s", "30s", "2m"]},
          "filter": {"payload.connection": {"$in": ["google-oauth2"]}, "payload.ip": {"$cidr": "203.0.113.0/24"}},
          "redact": {"preset": "auth0-pii", "mode": "hash"},
          "rateLimit": {"perSecond": 50}
        }
        """)!;

    public static RouteHandlerBuilder WithRegistrationBody(this RouteHandlerBuilder builder, bool patch) =>
        builder.WithBody(Registration(patch), patch ? JsonNode.Parse("""{"filter": {"payload.amount": {"$gte": 100}}}""")! : RegisterExample);

    public static RouteHandlerBuilder WithFilterTestBody(this RouteHandlerBuilder builder) => builder.WithBody(
        Object(
            ("filter", Object([]), FilterDescription),
            ("event", Object(("name", Text(), null), ("payload", new OpenApiSchema(), null), ("source", Text(), null), ("time", Text("date-time"), null), ("id", Text(), null)), "An event to test; or eventId."),
            ("eventId", Text(), "An event of the event log to test; or event.")),
        JsonNode.Parse("""{"filter": {"payload.ip": {"$cidr": "2001:db8::/32"}}, "event": {"name": "auth0.s", "payload": {"ip": "2001:db8::7"}}}""")!);

    public static RouteHandlerBuilder WithReplayBody(this RouteHandlerBuilder builder) => builder.WithBody(
        Object(
            ("from", Text("date-time"), "Required: events of the event log whose time is at or after this."),
            ("to", Text("date-time"), "Only events whose time is before this; left out: up to now."),
            ("events", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() }, "Event names or topic patterns, narrowing the listener's; left out: the listener's."),
            ("filter", Object([]), "Only events this payload filter matches (the listener's own filter applies too). " + FilterDescription)),
        JsonNode.Parse("""{"from": "2026-11-24T00:00:00Z", "to": "2026-11-25T00:00:00Z", "events": ["auth0.auth.login.fail.#"], "filter": {"payload.connection": "Username-Password-Authentication"}}""")!);

    static OpenApiSchema Registration(bool patch)
    {
        var fields = new List<(string, OpenApiSchema, string?)>
        {
            ("events", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() }, "Event names or topic patterns (order.*, auth0.#)."),
            ("delivery", Object(("type", Text(), "webhook or pull"), ("url", Text("uri"), null), ("secret", Text(), "whsec_…; generated when left out"), ("timeoutSeconds", new OpenApiSchema { Type = JsonSchemaType.Integer }, null)), null),
            ("retry", Object(("schedule", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() }, "delays such as 5s, 2m, 1h"), ("maxAttempts", new OpenApiSchema { Type = JsonSchemaType.Integer }, null)), null),
            ("filter", Object([]), FilterDescription + " null removes it."),
            ("redact", Object(
                ("paths", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() }, "Payload paths whose values deliveries hide: payload.ip, payload.details.email."),
                ("preset", Text(), "auth0-pii: emails, user names, IP addresses, phones and user agents of Auth0 entries, wherever they sit."),
                ("mode", Text(), "mask (default: [redacted]) or hash (hmac: and a keyed HMAC-SHA256 per hub: equal values stay equal).")),
                "What webhook and pull deliveries (and their stored copies) hide of the payload; the event log keeps it whole. null removes it."),
            ("rateLimit", Object(("perSecond", new OpenApiSchema { Type = JsonSchemaType.Integer }, "Deliveries a second across every copy (1 to 10000); over it they wait, they do not fail.")),
                "null removes it."),
        };
        if (!patch)
        {
            fields.InsertRange(0, [("name", Text(), null), ("platform", Text(), null), ("label", Text(), null)]);
            fields.Add(("since", Text("date-time"), "Also deliver matching events of the event log from then."));
        }

        return Object([.. fields]);
    }

    static RouteHandlerBuilder WithBody(this RouteHandlerBuilder builder, OpenApiSchema schema, JsonNode example) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema, Example = example.DeepClone() } },
            };
            return Task.CompletedTask;
        });

    static OpenApiSchema Object(params (string Name, OpenApiSchema Schema, string? Description)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        AdditionalPropertiesAllowed = properties.Length == 0,
        Properties = properties.ToDictionary(p => p.Name, p =>
        {
            p.Schema.Description = p.Description;
            return (IOpenApiSchema)p.Schema;
        }),
    };

    static OpenApiSchema Text(string? format = null) => new() { Type = JsonSchemaType.String, Format = format };
}
