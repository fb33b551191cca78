using Microsoft.Extensions.Hosting;

namespace EventHub.Events.Catalog;

/// <summary>Builds the catalog's contract schemas in the background at startup, so the first GET /v1/catalog does not wait for them.</summary>
internal sealed class CatalogWarmup : BackgroundService
{
    // Not awaited: the build cannot stop half-way, and a host told to stop waited for it (up to 23 s on a busy machine,
    // past a supervisor's patience). A failure shows on the first GET /v1/catalog.
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = Task.Run(() =>
        {
            try
            {
                EventCatalog.Warm();
            }
            catch (Exception)
            {
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
