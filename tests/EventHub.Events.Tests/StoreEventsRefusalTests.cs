using Dapper;
using EventHub.Composition.Retry;
using EventHub.Contracts;
using EventHub.Contracts.Events;
using EventHub.Events.EventLog;
using EventHub.Storage;
using EventHub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventHub.Events.Tests;

/// <summary>
/// An event the database refuses for what it holds does not keep the rest of its batch out of the event log: they are
/// stored at once, and only the batch's fault (with the database's own error) goes on to the error queue for a replay.
/// The refusal is a trigger an operator could add, as the ALTER TABLE ... CHECK of the error-queue test does on PostgreSQL.
/// </summary>
public sealed class StoreEventsRefusalTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_store_the_rest_of_a_batch_at_once_when_the_database_refuses_one_event_and_fault_with_its_error()
    {
        await using var provider = EventLogHarness.Build(
            new RetryPolicies { StoreEvents = new RetryPolicy(1, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)) },
            TimeProvider.System);
        var database = provider.GetRequiredService<Database>();
        await new SchemaMigrator(database, [EventLogSchema.V1, EventLogSchema.V2], NullLogger<SchemaMigrator>.Instance).MigrateAsync(Cancel);
        await using (var connection = await database.OpenAsync(Cancel))
            await connection.ExecuteAsync("CREATE TRIGGER no_poison BEFORE INSERT ON events WHEN NEW.name = 'orders.poisoned' BEGIN SELECT RAISE(ABORT, 'no_poison'); END");
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            EmittedEvent[] events = [EventLogHarness.Event("orders.placed"), EventLogHarness.Event("orders.poisoned"), EventLogHarness.Event("orders.shipped")];
            await harness.Bus.Publish(HubEventBatch.Of(events), Cancel);

            var fault = await Eventually.UntilAsync(() => Task.FromResult(harness.Published.Select<Fault<HubEventBatch>>(Cancel).FirstOrDefault()), f => f is not null, what: "the batch's fault after its retry");
            Assert.Contains("no_poison", fault!.Context.Message.Exceptions[0].Message, StringComparison.Ordinal);
            var store = provider.GetRequiredService<EventLogStore>();
            Assert.NotNull(await store.FindAsync(events[0].EventId, Cancel));
            Assert.Null(await store.FindAsync(events[1].EventId, Cancel));
            Assert.NotNull(await store.FindAsync(events[2].EventId, Cancel));
        }
        finally
        {
            await harness.Stop(Cancel);
        }
    }
}
