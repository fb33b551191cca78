using Xunit;

namespace EventHub.TestSupport;

/// <summary>One private PostgreSQL cluster per test assembly (declare it with <c>[assembly: AssemblyFixture(typeof(PostgresFixture))]</c>); each test makes its own database.</summary>
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
