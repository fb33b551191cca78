using EventHub.Storage.Sagas;
using EventHub.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventHub.Storage.Tests;

/// <summary>
/// The repository under a real MassTransit state machine (test harness), registered with
/// <c>SetStoredSagaRepositoryProvider</c>: many messages for one instance at once, on SQLite and PostgreSQL.
/// </summary>
public sealed class StoredSagaRepositoryTests(PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_apply_every_message_once_when_they_race_for_one_instance(DatabaseProvider provider)
    {
        const int Messages = 40;
        var storage = new StorageOptions
        {
            Provider = provider,
            ConnectionString = provider == DatabaseProvider.Postgres
                ? await postgres.Cluster.CreateDatabaseAsync()
                : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-sagas-").FullName, "test.db")};Default Timeout=30",
        };
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(storage)
            .AddSingleton<Database>()
            .AddSingleton(NullLogger<SchemaMigrator>.Instance)
            .AddSingleton<SchemaMigrator>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetStoredSagaRepositoryProvider();
                bus.AddSagaStateMachine<TallyStateMachine, TallyState>()
                    .Endpoint(e => e.ConcurrentMessageLimit = 8);
                bus.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseMessageRetry(r =>
                {
                    r.Handle<ConcurrencyException>();
                    r.Exponential(50, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(10));
                }));
            })
            .BuildServiceProvider(true);
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(Cancel);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var id = Guid.NewGuid();
            await Task.WhenAll(Enumerable.Range(0, Messages).Select(i => harness.Bus.Publish(new Tallied(id, $"item-{i}"), Cancel)));

            var store = new SagaStore<TallyState>(services.GetRequiredService<Database>(), TimeProvider.System);
            var tally = await WaitForAsync(() => store.LoadAsync(id, Cancel), t => t?.Items.Count >= Messages);
            Assert.Equal(Messages, tally!.Items.Distinct().Count());
            Assert.Equal(Messages, tally.Version);
            Assert.Equal("Counting", tally.CurrentState);
        }
        finally
        {
            await harness.Stop(Cancel);
        }
    }

    /// <summary>The instance is saved after the harness reports the message consumed: wait on the stored row itself.</summary>
    static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var last = await probe();
        while (!done(last) && await timer.WaitForNextTickAsync(limit.Token))
            last = await probe();
        return last;
    }
}

public sealed record Tallied(Guid TallyId, string Item);

public sealed class TallyState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public List<string> Items { get; set; } = [];
}

public sealed class TallyStateMachine : MassTransitStateMachine<TallyState>
{
    public TallyStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Added, e => e.CorrelateById(c => c.Message.TallyId));
        Initially(When(Added).Then(c => c.Saga.Items.Add(c.Message.Item)).TransitionTo(Counting));
        During(Counting, When(Added).Then(c => c.Saga.Items.Add(c.Message.Item)));
    }

    public State Counting { get; private set; } = null!;

    public Event<Tallied> Added { get; private set; } = null!;
}
