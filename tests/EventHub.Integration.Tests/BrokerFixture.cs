using EventHub.TestSupport;

[assembly: AssemblyFixture(typeof(EventHub.Integration.Tests.BrokerFixture))]

namespace EventHub.Integration.Tests;

/// <summary>One private RabbitMQ node shared by the tests that do not stop it; a test that stops a broker starts its own.</summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    RabbitMqNode? _node;

    public RabbitMqNode Node => _node ?? throw new InvalidOperationException("The RabbitMQ node did not start.");

    public async ValueTask InitializeAsync() => _node = await RabbitMqNode.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
    }
}
