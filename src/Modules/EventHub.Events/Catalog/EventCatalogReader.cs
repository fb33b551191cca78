using System.Text.Json;
using System.Text.Json.Nodes;
using EventHub.Contracts.Events;

namespace EventHub.Events.Catalog;

/// <summary>The catalog for the dashboard, in process: the very document <c>GET /v1/catalog</c> serves.</summary>
internal sealed class EventCatalogReader(EmittedNames emitted) : IEventCatalogReader
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public async Task<JsonObject> ReadAsync(CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToNode(await EventCatalog.BuildAsync(emitted, cancellationToken), Web)!.AsObject();
}
