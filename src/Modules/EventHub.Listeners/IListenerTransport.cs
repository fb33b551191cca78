using MassTransit;

namespace EventHub.Listeners;

/// <summary>
/// What differs per transport for a listener's queue; the host implements it (only the host knows RabbitMQ).
/// On RabbitMQ the queue is bound to <c>eventhub.events</c> with the listener's patterns; in memory every event reaches it.
/// </summary>
public interface IListenerTransport
{
    void ConfigureEndpoint(IReceiveEndpointConfigurator endpoint, IReadOnlyList<string> patterns);

    /// <summary>Moves a running listener's bindings from the old patterns to the new ones.</summary>
    Task UpdateBindingsAsync(string queueName, IReadOnlyList<string> oldPatterns, IReadOnlyList<string> newPatterns, CancellationToken cancellationToken);

    /// <summary>Messages waiting in the queue, or null where the transport cannot say.</summary>
    Task<long?> GetDepthAsync(string queueName, CancellationToken cancellationToken);

    /// <summary>Consumers of the queue (one per copy delivering from it), or null where the transport cannot say.</summary>
    Task<int?> GetConsumerCountAsync(string queueName, CancellationToken cancellationToken) => Task.FromResult<int?>(null);

    /// <summary>Removes the queue with its bindings (and its error queue); nothing when it is already gone.</summary>
    Task DeleteQueueAsync(string queueName, CancellationToken cancellationToken);
}
