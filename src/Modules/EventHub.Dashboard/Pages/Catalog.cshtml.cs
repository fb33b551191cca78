using System.Text.Json.Nodes;
using EventHub.Access;
using EventHub.Contracts.Events;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventHub.Dashboard.Pages;

/// <summary>The event catalog (what <c>GET /v1/catalog</c> serves, read in process) for people: names, contracts and field lists instead of whole schemas.</summary>
internal sealed class CatalogModel(IEventCatalogReader catalogReader) : PageModel
{
    public IReadOnlyList<EmittedName> Emitted { get; private set; } = [];

    public IReadOnlyList<Known> HubEvents { get; private set; } = [];

    public IReadOnlyList<Typed> EventStreams { get; private set; } = [];

    public IReadOnlyList<Typed> LogTypes { get; private set; } = [];

    public string LogFields { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // The API asks for events:read; a key without it sees an empty catalog.
        if (!HttpContext.Caller()!.Has(Scopes.EventsRead))
            return;
        var catalog = await catalogReader.ReadAsync(cancellationToken);
        Emitted = [.. Items(catalog, "emitted").Select(e => new EmittedName(Text(e, "name"), e["count"]!.GetValue<long>(), e["firstSeen"], e["lastSeen"], Fields(e["schema"], withTypes: true)))];
        HubEvents = [.. Items(catalog, "securityAlerts").Concat(Items(catalog, "listenerEvents")).Select(e => new Known(Text(e, "name"), Text(e, "description"), Text(e, "payload")))];
        EventStreams = [.. Items(catalog, "auth0EventStreams").Select(Typed.Of)];
        LogTypes = [.. Items(catalog, "auth0LogTypes").Select(Typed.Of)];
        LogFields = Fields(Items(catalog, "auth0LogTypes").FirstOrDefault()?["schema"], withTypes: false);
    }

    static IEnumerable<JsonNode> Items(JsonNode catalog, string section) => catalog[section]?.AsArray().OfType<JsonNode>() ?? [];

    static string Text(JsonNode node, string field) => node[field]?.GetValue<string>() ?? "";

    /// <summary>A schema's top-level properties, "order: integer, customer: string" or just the names.</summary>
    static string Fields(JsonNode? schema, bool withTypes)
    {
        var properties = schema?["properties"]?.AsObject();
        if (properties is null || properties.Count == 0)
            return "—";
        return string.Join(", ", properties.Select(p => withTypes ? $"{p.Key}: {TypeOf(p.Value)}" : p.Key));
    }

    static string TypeOf(JsonNode? property) => property?["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray types => string.Join(" | ", types.Select(t => t!.GetValue<string>())),
        _ => property?["$ref"] is not null ? "object" : "any",
    };

    internal sealed record EmittedName(string Name, long Count, JsonNode? FirstSeen, JsonNode? LastSeen, string Fields);

    internal sealed record Known(string Name, string Description, string Fields);

    internal sealed record Typed(string Code, string Name, string Description, string Contract, string Interfaces)
    {
        public static Typed Of(JsonNode t) => new(
            t["code"]?.GetValue<string>() ?? t["type"]?.GetValue<string>() ?? "",
            Text(t, "name"),
            t["description"]?.GetValue<string>() ?? "",
            Text(t, "contract").Split('.')[^1],
            string.Join(", ", t["interfaces"]?.AsArray().Select(i => i!.GetValue<string>()) ?? []));
    }
}
