using EventHub.Contracts;
using EventHub.Listeners;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EventHub.Host.Bus;

/// <summary>
/// A listener's queue on RabbitMQ: bound to <c>eventhub.events</c> with the listener's patterns as routing keys (one
/// exchange hop, no republish). Queue depth and deletion go through <see cref="RabbitMqAdminConnection"/>.
/// </summary>
internal sealed class RabbitMqListenerTransport(RabbitMqSettings settings, RabbitMqAdminConnection admin) : IListenerTransport
{
    public void ConfigureEndpoint(IReceiveEndpointConfigurator endpoint, IReadOnlyList<string> patterns)
    {
        var rabbit = (IRabbitMqReceiveEndpointConfigurator)endpoint;
        rabbit.ConfigureConsumeTopology = false;
        // Endpoints connected at run time do not pass through BusModule's endpoint callback: set quorum here too.
        if (settings.QuorumQueues)
            QuorumQueues.Apply(rabbit, rabbit.InputAddress.AbsolutePath.Split('/')[^1], settings.DeliveryLimit);
        foreach (var pattern in patterns)
        {
            rabbit.Bind(HubEventNames.Exchange, binding =>
            {
                binding.ExchangeType = ExchangeType.Topic;
                binding.RoutingKey = pattern;
            });
        }
    }

    public async Task UpdateBindingsAsync(string queueName, IReadOnlyList<string> oldPatterns, IReadOnlyList<string> newPatterns, CancellationToken cancellationToken)
    {
        await using var channel = await admin.OpenChannelAsync(cancellationToken);
        foreach (var pattern in newPatterns.Except(oldPatterns))
            await channel.ExchangeBindAsync(queueName, HubEventNames.Exchange, pattern, cancellationToken: cancellationToken);
        foreach (var pattern in oldPatterns.Except(newPatterns))
            await channel.ExchangeUnbindAsync(queueName, HubEventNames.Exchange, pattern, cancellationToken: cancellationToken);
    }

    public async Task<int?> GetConsumerCountAsync(string queueName, CancellationToken cancellationToken)
    {
        try
        {
            await using var channel = await admin.OpenChannelAsync(cancellationToken);
            return (int)(await channel.QueueDeclarePassiveAsync(queueName, cancellationToken)).ConsumerCount;
        }
        catch (Exception e) when (e is OperationInterruptedException or BrokerUnreachableException)
        {
            return null;
        }
    }

    public async Task<long?> GetDepthAsync(string queueName, CancellationToken cancellationToken)
    {
        try
        {
            await using var channel = await admin.OpenChannelAsync(cancellationToken);
            var queue = await channel.QueueDeclarePassiveAsync(queueName, cancellationToken);
            return queue.MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
        catch (BrokerUnreachableException)
        {
            return null;
        }
    }

    public async Task DeleteQueueAsync(string queueName, CancellationToken cancellationToken)
    {
        await using var channel = await admin.OpenChannelAsync(cancellationToken);
        // MassTransit gives the queue an exchange of the same name, bound from eventhub.events; both go, with the error queues.
        foreach (var queue in new[] { queueName, queueName + "_error", queueName + "_skipped" })
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
        foreach (var exchange in new[] { queueName, queueName + "_error", queueName + "_skipped" })
            await channel.ExchangeDeleteAsync(exchange, ifUnused: false, cancellationToken: cancellationToken);
    }
}
