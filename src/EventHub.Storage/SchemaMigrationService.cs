using Microsoft.Extensions.Hosting;

namespace EventHub.Storage;

/// <summary>Migrates at startup, before the server accepts requests and before the bus starts consuming.</summary>
internal sealed class SchemaMigrationService(SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
