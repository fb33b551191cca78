using Xunit;

namespace EventHub.TestSupport;

/// <summary>One private RabbitMQ node per test assembly for the tests that do not stop it; a test that stops a broker starts its own.</summary>
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
