using EventHub.Host.Bus;
using EventHub.Storage;

namespace EventHub.Host.Hosting;

/// <summary>Says at startup what this process is running on, and plainly what an embedded run does not keep.</summary>
internal sealed class StartupNotice(BusDescription bus, StorageOptions storage, ILogger<StartupNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (bus.Transport == TransportKind.InMemory)
        {
            logger.LogWarning(
                "Embedded mode: in-memory bus and {Database} database. Messages in flight, retries and queues do not survive a restart; " +
                "only the database file does. For production set EventHub__Transport=RabbitMq (with EventHub__RabbitMq__Host or __Uri) " +
                "and EventHub__Database=Postgres (with ConnectionStrings__EventHub)",
                storage.Provider);
        }
        else
        {
            logger.LogInformation("Bus: RabbitMQ at {Broker}; database: {Database}", bus.Broker, storage.Provider);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
