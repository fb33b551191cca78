using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace EventHub.TestSupport;

/// <summary>
/// An application's own queue bound to <c>eventhub.events</c> with topic patterns, read with plain RabbitMQ.Client,
/// the way a non-MassTransit consumer of the hub would.
/// </summary>
public sealed class BoundQueue : IAsyncDisposable
{
    readonly IConnection _connection;
    readonly IChannel _channel;

    BoundQueue(IConnection connection, IChannel channel, string name)
    {
        _connection = connection;
        _channel = channel;
        Name = name;
    }

    public string Name { get; }

    public static Task<BoundQueue> DeclareAsync(RabbitMqNode node, params string[] patterns) => DeclareAsync(node.AmqpUri, patterns);

    public static async Task<BoundQueue> DeclareAsync(string amqpUri, params string[] patterns)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri) };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var name = $"app-{Guid.NewGuid():N}"[..20];
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
        foreach (var pattern in patterns)
            await channel.QueueBindAsync(name, "eventhub.events", pattern);
        return new BoundQueue(connection, channel, name);
    }

    /// <summary>Takes every message ready now: routing key and the hub event (the envelope's <c>message</c>).</summary>
    public async Task<IReadOnlyList<(string RoutingKey, JsonNode Event)>> DrainAsync() =>
        [.. (await DrainWithMessageIdsAsync()).Select(m => (m.RoutingKey, m.Event))];

    /// <summary>As <see cref="DrainAsync"/>, with each message's AMQP <c>message-id</c> property.</summary>
    public async Task<IReadOnlyList<(string RoutingKey, JsonNode Event, string? MessageId)>> DrainWithMessageIdsAsync()
    {
        var messages = new List<(string, JsonNode, string?)>();
        try
        {
            while (await _channel.BasicGetAsync(Name, autoAck: true) is { } result)
            {
                var envelope = JsonNode.Parse(result.Body.Span)!;
                messages.Add((result.RoutingKey, envelope["message"]!, result.BasicProperties.MessageId));
            }
        }
        catch (RabbitMQ.Client.Exceptions.AlreadyClosedException)
        {
            // The broker was restarted and the client's automatic recovery has not reconnected yet: what is ready stays
            // in the (durable) queue for the caller's next drain.
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_channel.IsOpen)
                await _channel.QueueDeleteAsync(Name);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
        {
        }

        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
