using MassTransit;

namespace EventHub.Listeners.Tests;

/// <summary>For tests that drive the deliverer directly: there is no broker, so no queue to count or change.</summary>
internal sealed class NoTransport : IListenerTransport
{
    public void ConfigureEndpoint(IReceiveEndpointConfigurator endpoint, IReadOnlyList<string> patterns)
    {
    }

    public Task UpdateBindingsAsync(string queueName, IReadOnlyList<string> oldPatterns, IReadOnlyList<string> newPatterns, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<long?> GetDepthAsync(string queueName, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public Task DeleteQueueAsync(string queueName, CancellationToken cancellationToken) => Task.CompletedTask;
}
