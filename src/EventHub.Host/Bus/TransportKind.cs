namespace EventHub.Host.Bus;

internal enum TransportKind
{
    InMemory,
    RabbitMq,
}
