using Microsoft.Extensions.Hosting;

namespace EventHub.Events.Catalog;

/// <summary>Builds the catalog's contract schemas in the background at startup, so the first GET /v1/catalog does not wait for them.</summary>
internal sealed class CatalogWarmup : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(EventCatalog.Warm, stoppingToken);
}
