using EventHub.Listeners;
using MassTransit;

namespace EventHub.Host.Bus;

/// <summary>In memory there is no routing key: a listener's endpoint receives every hub event and the listener matches names itself.</summary>
internal sealed class InMemoryListenerTransport : IListenerTransport
{
    public void ConfigureEndpoint(IReceiveEndpointConfigurator endpoint, IReadOnlyList<string> patterns)
    {
    }

    public Task UpdateBindingsAsync(string queueName, IReadOnlyList<string> oldPatterns, IReadOnlyList<string> newPatterns, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task<long?> GetDepthAsync(string queueName, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public Task DeleteQueueAsync(string queueName, CancellationToken cancellationToken) => Task.CompletedTask;
}
