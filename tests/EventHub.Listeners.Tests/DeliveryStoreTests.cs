using Dapper;
using EventHub.Listeners.Delivery;
using EventHub.Listeners.Registry;
using EventHub.Storage;
using EventHub.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(PostgresFixture))]

namespace EventHub.Listeners.Tests;

/// <summary>
/// Deliveries begun and recorded in batches (every delivery waiting at that moment in one write) keep their meaning, on a
/// real SQLite file and a real PostgreSQL cluster, with many deliveries writing at once.
/// </summary>
public sealed class DeliveryStoreTests(PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    const long Now = 1_780_000_000_000_000;

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_keep_one_record_per_event_when_many_deliveries_of_it_begin_at_the_same_time(DatabaseProvider provider)
    {
        var (store, database) = await StoreOnAsync(provider);

        // 40 deliveries at once, eight of each of five events (a publish repeated, a redelivery): each finds the event
        // pending with no attempt, so each may attempt it, as a redelivery after a crash does.
        var begun = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => store.BeginAsync("listener-a", Item($"event-{i % 5}"), Now + i, Cancel))));

        Assert.All(begun, Assert.True);
        await using var connection = await database.OpenAsync(Cancel);
        var rows = (await connection.QueryAsync<(string, string, long)>("SELECT event_id, state, attempts FROM deliveries ORDER BY event_id")).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(e => ($"event-{e}", DeliveryStates.Pending, 0L)), rows);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_begin_again_a_delivery_a_stopped_process_left_pending_with_no_attempt(DatabaseProvider provider)
    {
        var (store, _) = await StoreOnAsync(provider);

        Assert.True(await store.BeginAsync("listener-a", Item("left-pending"), Now, Cancel));
        Assert.True(await store.BeginAsync("listener-a", Item("left-pending"), Now + 1, Cancel));

        await store.RecordAsync("listener-a", "left-pending", new(DeliveryStates.Succeeded, 1), Sent(200), replay: false, Now + 2, Cancel);
        Assert.False(await store.BeginAsync("listener-a", Item("left-pending"), Now + 3, Cancel));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_number_every_attempt_and_keep_every_state_when_many_are_recorded_at_once(DatabaseProvider provider)
    {
        var (store, _) = await StoreOnAsync(provider);
        var events = Enumerable.Range(0, 20).Select(i => $"event-{i}").ToList();
        foreach (var id in events)
            Assert.True(await store.BeginAsync("listener-a", Item(id), Now, Cancel));

        // Two attempts of every delivery at once: a failure to retry and a success, 40 records racing into the same writes.
        await Task.WhenAll(events.SelectMany(id => new[]
        {
            Task.Run(() => store.RecordAsync("listener-a", id, new(DeliveryStates.Retrying, 1, Now + 30), Sent(500), replay: false, Now + 1, Cancel)),
            Task.Run(() => store.RecordAsync("listener-a", id, new(DeliveryStates.Succeeded, 2), Sent(200), replay: false, Now + 2, Cancel)),
        }));

        var attempts = await store.AttemptsAsync("listener-a", events, Cancel);
        foreach (var id in events)
            Assert.Equal([1L, 2L], attempts.Where(a => a.EventId == id).Select(a => a.Attempt).Order());
        var deliveries = await store.ListAsync("listener-a", null, null, 100, Cancel);
        Assert.Equal(20, deliveries.Count);
        Assert.All(deliveries, d => Assert.Contains(d.State, new[] { DeliveryStates.Retrying, DeliveryStates.Succeeded }));
        Assert.All(deliveries, d => Assert.Equal(d.State == DeliveryStates.Succeeded ? 2 : 1, d.Attempts));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_clear_the_failing_streak_of_each_listener_a_success_is_recorded_for(DatabaseProvider provider)
    {
        var (store, database) = await StoreOnAsync(provider);
        await using var connection = await database.OpenAsync(Cancel);
        await connection.ExecuteAsync("UPDATE listeners SET failing_since = @Now, failed_events = 3", new { Now });
        Assert.True(await store.BeginAsync("listener-a", Item("ok"), Now, Cancel));
        Assert.True(await store.BeginAsync("listener-b", Item("failed"), Now, Cancel));

        await Task.WhenAll(
            store.RecordAsync("listener-a", "ok", new(DeliveryStates.Succeeded, 1), Sent(204), replay: false, Now + 1, Cancel),
            store.RecordAsync("listener-b", "failed", new(DeliveryStates.Retrying, 1, Now + 60), Sent(500), replay: false, Now + 1, Cancel));

        var streaks = (await connection.QueryAsync<(string, long)>("SELECT id, failed_events FROM listeners ORDER BY id")).ToList();
        Assert.Equal([("listener-a", 0L), ("listener-b", 3L)], streaks);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_store_a_receivers_output_and_a_clients_error_holding_NUL_and_lone_surrogates(DatabaseProvider provider)
    {
        var (store, _) = await StoreOnAsync(provider);
        Assert.True(await store.BeginAsync("listener-a", Item("hostile"), Now, Cancel));

        await store.RecordAsync("listener-a", "hostile", new(DeliveryStates.Retrying, 1, Now + 30), new SendResult(500, 3, "out\0put \ud800", "err\0or \udc00", null), replay: false, Now + 1, Cancel);

        var delivery = Assert.Single(await store.ListAsync("listener-a", null, null, 10, Cancel));
        Assert.Equal("out\uFFFDput \uFFFD", delivery.Output);
        Assert.Equal("err\uFFFDor \uFFFD", delivery.LastError);
        var attempt = Assert.Single(await store.AttemptsAsync("listener-a", ["hostile"], Cancel));
        Assert.Equal("err\uFFFDor \uFFFD", attempt.Error);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_begin_the_other_deliveries_of_a_write_when_the_database_refuses_one(DatabaseProvider provider)
    {
        var (store, _) = await StoreOnAsync(provider);

        // A payload with a lone surrogate: PostgreSQL's driver will not encode it (SQLite's stores a replacement). The
        // ingresses repair these; the store must still not let one such delivery fail the nine written with it.
        var begun = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                return await store.BeginAsync("listener-a", Item($"event-{i}") with { Payload = i == 3 ? "\"\ud800\"" : "{}" }, Now, Cancel);
            }
            catch (ArgumentException)
            {
                return false;
            }
        })));

        Assert.Equal(provider == DatabaseProvider.Postgres ? 9 : 10, begun.Count(b => b));
        var pending = await store.ListAsync("listener-a", DeliveryStates.Pending, null, 100, Cancel);
        Assert.Equal(Enumerable.Range(0, 10).Where(i => begun[i]).Select(i => $"event-{i}").Order(), pending.Select(d => d.EventId).Order());
    }

    async Task<(DeliveryStore Store, Database Database)> StoreOnAsync(DatabaseProvider provider)
    {
        var connectionString = provider == DatabaseProvider.Postgres
            ? await postgres.Cluster.CreateDatabaseAsync()
            : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-deliveries-").FullName, "listeners.db")}";
        var database = new Database(new StorageOptions { Provider = provider, ConnectionString = connectionString });
        await new SchemaMigrator(database, [ListenersSchema.V1, ListenersSchema.V2, ListenersSchema.V3, ListenersSchema.Rules1, ListenersSchema.Rules2, ListenersSchema.Rules3, ListenersSchema.Rules4], NullLogger<SchemaMigrator>.Instance).MigrateAsync(Cancel);
        var listeners = new ListenerStore(database, TimeProvider.System, Options.Create(new ListenersOptions()));
        foreach (var key in new[] { "listener-a", "listener-b" })
            await listeners.UpsertAsync(new ListenerRegistration(key, null, null, ["order.*"], Listener.Webhook, "https://example.com/hook", null, 5, [0, 30]), "tests", Cancel);
        await using (var connection = await database.OpenAsync(Cancel))
            await connection.ExecuteAsync("UPDATE listeners SET id = name");
        return (new DeliveryStore(database), database);
    }

    static DeliveryItem Item(string eventId) => new(eventId, "order.placed", "shop", Now, Now, """{"total":12}""");

    static SendResult Sent(int status) => new(status, 3, null, status >= 300 ? $"HTTP {status}" : null, null);
}
