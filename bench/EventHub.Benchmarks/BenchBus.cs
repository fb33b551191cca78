using EventHub.TestSupport;
using MassTransit;

namespace EventHub.Benchmarks;

/// <summary>A MassTransit bus on a bench's private RabbitMQ node, with publisher confirms as the hub has them.</summary>
internal static class BenchBus
{
    public static IBusControl On(RabbitMqNode node, Action<IRabbitMqBusFactoryConfigurator>? configure = null) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(node.AmqpUri.Replace("amqp://guest:guest@", "rabbitmq://", StringComparison.Ordinal)), host =>
            {
                host.Username("guest");
                host.Password("guest");
                host.PublisherConfirmation = true;
            });
            configure?.Invoke(cfg);
        });
}
