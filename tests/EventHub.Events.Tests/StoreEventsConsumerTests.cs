using EventHub.Publishing;
using EventHub.Contracts;
using EventHub.Contracts.Events;
using EventHub.Events.EventLog;
using EventHub.Storage;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventHub.Events.Tests;

/// <summary>The event log writer in MassTransit's in-memory test harness, writing to a real SQLite file.</summary>
public sealed class StoreEventsConsumerTests : IAsyncLifetime
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("eventhub-harness-").FullName, "events.db");
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new StorageOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={file}" })
            .AddSingleton<Database>()
            .AddSingleton(EventLogSchema.V1)
            .AddSingleton(NullLogger<SchemaMigrator>.Instance)
            .AddSingleton<SchemaMigrator>()
            .AddSingleton<EventLogStore>()
            .AddMetrics()
            .AddSingleton<EventsMetrics>()
            .AddSingleton<ConsumerLag>()
            .AddSingleton(TimeProvider.System)
            .AddMassTransitTestHarness(EventsModule.ConfigureConsumers);
        _provider = services.BuildServiceProvider(true);
        await _provider.GetRequiredService<SchemaMigrator>().MigrateAsync(Cancel);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop(Cancel);
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Should_store_every_published_hub_event_with_its_payload_byte_for_byte()
    {
        var events = Enumerable.Range(0, 5).Select(i => NewEvent($"order.placed.{i}", $$"""{ "n" : {{i}},  "text":"naïve ✓" }""")).ToList();

        foreach (var hubEvent in events)
            await _harness.Bus.Publish(hubEvent, Cancel);

        var consumer = _harness.GetConsumerHarness<StoreEventsConsumer>();
        Assert.True(await consumer.Consumed.Any<Batch<IHubEvent>>(Cancel));
        var store = _provider.GetRequiredService<EventLogStore>();
        foreach (var expected in events)
        {
            Assert.True(await _harness.Consumed.Any<IHubEvent>(x => x.Context.Message.EventId == expected.EventId, Cancel));
            var stored = await StoredAsync(store, expected.EventId);
            Assert.Equal(expected.Name, stored.Name);
            Assert.Equal(expected.Source, stored.Source);
            Assert.Equal(expected.Payload, stored.Payload);
            Assert.Equal(expected.OccurredAt, stored.OccurredAtTime);
            Assert.Equal(expected.ReceivedAt, stored.ReceivedAtTime);
        }
    }

    [Fact]
    public async Task Should_store_an_event_delivered_twice_once()
    {
        var hubEvent = NewEvent("order.placed", "{}");

        await _harness.Bus.Publish(hubEvent, Cancel);
        await _harness.Bus.Publish(hubEvent with { Payload = """{"second":true}""" }, Cancel);

        Assert.True(await _harness.Consumed.Any<IHubEvent>(x => x.Context.Message.Payload.Contains("second", StringComparison.Ordinal), Cancel));
        var stored = await StoredAsync(_provider.GetRequiredService<EventLogStore>(), hubEvent.EventId);
        Assert.Equal("{}", stored.Payload);
        var page = await _provider.GetRequiredService<EventLogStore>().QueryAsync(new QueryEvents.EventQuery(null, null, null, null, 0, 100), Cancel);
        Assert.Single(page.Items, e => e.Id == hubEvent.EventId);
    }

    /// <summary>The consumer's batch is written when the harness reports it consumed; the store read follows it.</summary>
    static async Task<StoredEvent> StoredAsync(EventLogStore store, string id)
    {
        var harnessDone = await store.FindAsync(id, Cancel);
        return harnessDone ?? throw new Xunit.Sdk.XunitException($"event {id} was consumed but is not in the event log");
    }

    static EmittedEvent NewEvent(string name, string payload) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        Name = name,
        Source = "tests",
        OccurredAt = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero).AddTicks(1230),
        ReceivedAt = new DateTimeOffset(2026, 11, 20, 8, 0, 1, TimeSpan.Zero),
        Payload = payload,
    };
}
