using EventHub.Publishing;
using EventHub.Composition.Retry;
using EventHub.Events.EventLog;
using EventHub.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Events.Tests;

/// <summary>The event log's consumer on MassTransit's test harness, over a SQLite file of its own, with the given store retries and clock.</summary>
internal static class EventLogHarness
{
    public static ServiceProvider Build(RetryPolicies policies, TimeProvider time) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(new StorageOptions
            {
                Provider = DatabaseProvider.Sqlite,
                ConnectionString = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-event-log-").FullName, "events.db")}",
            })
            .AddSingleton<Database>()
            .AddSingleton<EventLogStore>()
            .AddMetrics()
            .AddSingleton<EventsMetrics>()
            .AddSingleton<ConsumerLag>()
            .AddSingleton(time)
            .AddSingleton(policies)
            .AddMassTransitTestHarness(EventsModule.ConfigureConsumers)
            .BuildServiceProvider(true);

    /// <summary>An emitted event of that name, new id.</summary>
    public static Contracts.Events.EmittedEvent Event(string name) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        Name = name,
        Source = "tests",
        OccurredAt = DateTimeOffset.UnixEpoch,
        ReceivedAt = DateTimeOffset.UnixEpoch,
        Payload = "{}",
    };
}
