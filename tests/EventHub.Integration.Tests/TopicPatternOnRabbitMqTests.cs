using EventHub.Contracts;
using EventHub.TestSupport;
using RabbitMQ.Client;

namespace EventHub.Integration.Tests;

/// <summary>The hub's pattern matching against RabbitMQ's own topic routing, case by case, on a real node.</summary>
public sealed class TopicPatternOnRabbitMqTests(BrokerFixture broker)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_route_every_case_exactly_as_the_hubs_topic_pattern_matches_it()
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.Node.AmqpUri) };
        await using var connection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        var exchange = $"pattern-check-{Guid.NewGuid():N}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: false, autoDelete: false, cancellationToken: Cancel);

        var disagreements = new List<string>();
        foreach (var (pattern, name, _) in TopicPatternCases.All)
        {
            var queue = (await channel.QueueDeclareAsync(exclusive: true, cancellationToken: Cancel)).QueueName;
            await channel.QueueBindAsync(queue, exchange, pattern, cancellationToken: Cancel);
            await channel.BasicPublishAsync(exchange, name, mandatory: false, body: "x"u8.ToArray(), cancellationToken: Cancel);
            var routed = await channel.BasicGetAsync(queue, autoAck: true, Cancel) is not null
                || (await channel.MessageCountAsync(queue, Cancel)) > 0;
            var ours = TopicPattern.Parse(pattern)!.Matches(name);
            if (routed != ours)
                disagreements.Add($"{pattern} / {name}: RabbitMQ {routed}, hub {ours}");
            await channel.QueueDeleteAsync(queue, cancellationToken: Cancel);
        }

        await channel.ExchangeDeleteAsync(exchange, cancellationToken: Cancel);
        Assert.Empty(disagreements);
    }
}
