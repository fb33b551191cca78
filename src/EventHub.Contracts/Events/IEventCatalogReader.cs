using System.Text.Json.Nodes;

namespace EventHub.Contracts.Events;

/// <summary>
/// The event catalog (<c>GET /v1/catalog</c>) as other modules (the dashboard) read it, in process: implemented by the
/// events module. It is JSON by nature (a JSON Schema per name), so it is handed over as the document the API serves.
/// </summary>
public interface IEventCatalogReader
{
    /// <summary>Every event name the hub knows and every name applications emitted, as <c>GET /v1/catalog</c> answers.</summary>
    Task<JsonObject> ReadAsync(CancellationToken cancellationToken);
}
