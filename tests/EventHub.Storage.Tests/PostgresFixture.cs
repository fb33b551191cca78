using EventHub.TestSupport;

[assembly: AssemblyFixture(typeof(EventHub.Storage.Tests.PostgresFixture))]

namespace EventHub.Storage.Tests;

public sealed class PostgresFixture : IAsyncLifetime
{
    PostgresCluster? _cluster;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The PostgreSQL cluster did not start.");

    public async ValueTask InitializeAsync() => _cluster = await PostgresCluster.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }
}
