using EventHub.TestSupport;

namespace EventHub.Client.Tests;

/// <summary>One host process in production shape (RabbitMQ, PostgreSQL) shared by a test class; tests use their own event names.</summary>
public sealed class ProductionHub(BrokerFixture broker, PostgresFixture postgres) : IAsyncLifetime
{
    HostProcess? _host;

    public HostProcess Host => _host ?? throw new InvalidOperationException("The host did not start.");

    public Dictionary<string, string> Settings { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Settings = await Hubs.ProductionAsync(broker.Node, postgres.Cluster);
        _host = await HostProcess.StartAsync(Settings);
        // The host serves before its bus has started (503 to emits until then): a class's first emit should not race it.
        await _host.WaitForOutputAsync("Bus started");
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }
}
