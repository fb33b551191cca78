using EventHub.TestSupport;

[assembly: AssemblyFixture(typeof(EventHub.Integration.Tests.PostgresFixture))]

namespace EventHub.Integration.Tests;

/// <summary>One private PostgreSQL cluster for the tests that run the hub in its production shape; each test gets its own database.</summary>
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
