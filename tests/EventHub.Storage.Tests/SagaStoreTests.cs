using EventHub.Storage.Sagas;
using EventHub.TestSupport;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EventHub.Storage.Tests;

/// <summary>The saga table on SQLite and on a real PostgreSQL cluster: versions, conflicts, expiry.</summary>
public sealed class SagaStoreTests(PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;
    static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_store_load_and_version_an_instance(DatabaseProvider provider)
    {
        await using var database = await NewDatabaseAsync(provider);
        var store = new SagaStore<CounterSaga>(database, new FakeTimeProvider(Start));
        var saga = new CounterSaga { CorrelationId = Guid.NewGuid(), Count = 1, Seen = ["a"] };

        Assert.True(await store.TryInsertAsync(saga, Cancel));
        Assert.False(await store.TryInsertAsync(new CounterSaga { CorrelationId = saga.CorrelationId }, Cancel));
        var loaded = await store.LoadAsync(saga.CorrelationId, Cancel);
        Assert.NotNull(loaded);
        Assert.Equal((1, 1), (loaded.Version, loaded.Count));
        Assert.Equal(["a"], loaded.Seen);

        loaded.Count = 2;
        await store.UpdateAsync(loaded, Cancel);
        Assert.Equal(2, loaded.Version);
        var again = await store.LoadAsync(saga.CorrelationId, Cancel);
        Assert.Equal((2, 2), (again!.Version, again.Count));
        Assert.Null(await store.LoadAsync(Guid.NewGuid(), Cancel));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_refuse_to_save_or_delete_an_instance_changed_since_it_was_loaded(DatabaseProvider provider)
    {
        await using var database = await NewDatabaseAsync(provider);
        var store = new SagaStore<CounterSaga>(database, TimeProvider.System);
        var id = Guid.NewGuid();
        await store.InsertAsync(new CounterSaga { CorrelationId = id }, Cancel);
        var first = (await store.LoadAsync(id, Cancel))!;
        var second = (await store.LoadAsync(id, Cancel))!;

        first.Count = 10;
        await store.UpdateAsync(first, Cancel);
        second.Count = 20;
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => store.UpdateAsync(second, Cancel));
        Assert.Equal(id, conflict.CorrelationId);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.DeleteAsync(second, Cancel));
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.InsertAsync(new CounterSaga { CorrelationId = id }, Cancel));
        Assert.Equal(10, (await store.LoadAsync(id, Cancel))!.Count);

        await store.DeleteAsync(first, Cancel);
        Assert.Null(await store.LoadAsync(id, Cancel));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_lose_no_update_when_many_writers_change_one_instance_at_once(DatabaseProvider provider)
    {
        const int Writers = 8;
        const int IncrementsEach = 15;
        await using var database = await NewDatabaseAsync(provider);
        var store = new SagaStore<CounterSaga>(database, TimeProvider.System);
        var id = Guid.NewGuid();
        await store.InsertAsync(new CounterSaga { CorrelationId = id }, Cancel);
        var conflicts = 0;
        // Every writer's first save waits until all have loaded the same version: a collision forced, not left to luck.
        var loadedFirst = 0;
        var allLoaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < IncrementsEach; i++)
            {
                // What a saga endpoint's message retry does: load again, apply again, save again.
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 1000, "a writer never got its update in");
                    var saga = (await store.LoadAsync(id, Cancel))!;
                    saga.Count++;
                    saga.Seen.Add($"{writer}-{i}");
                    if (i == 0 && attempt == 0)
                    {
                        if (Interlocked.Increment(ref loadedFirst) == Writers)
                            allLoaded.SetResult();
                        await allLoaded.Task.WaitAsync(Cancel);
                    }

                    try
                    {
                        await store.UpdateAsync(saga, Cancel);
                        break;
                    }
                    catch (ConcurrencyException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        }, Cancel)));

        var final = (await store.LoadAsync(id, Cancel))!;
        Assert.Equal(Writers * IncrementsEach, final.Count);
        Assert.Equal(Writers * IncrementsEach, final.Seen.Distinct().Count());
        Assert.Equal(1 + Writers * IncrementsEach, final.Version);
        Assert.True(conflicts >= Writers - 1, $"{conflicts} conflicts: of {Writers} saves from one loaded version, only one may succeed");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_delete_only_instances_whose_expiry_has_passed(DatabaseProvider provider)
    {
        await using var database = await NewDatabaseAsync(provider);
        var time = new FakeTimeProvider(Start);
        var store = new SagaStore<CounterSaga>(database, time);
        var cleanup = new ExpiredSagaCleanup(database, time, NullLogger<ExpiredSagaCleanup>.Instance);
        var soon = new CounterSaga { CorrelationId = Guid.NewGuid(), ExpiresAt = Start.AddMinutes(5) };
        var later = new CounterSaga { CorrelationId = Guid.NewGuid(), ExpiresAt = Start.AddHours(1) };
        var never = new CounterSaga { CorrelationId = Guid.NewGuid() };
        foreach (var saga in new[] { soon, later, never })
            await store.InsertAsync(saga, Cancel);

        Assert.Equal(0, await cleanup.DeleteExpiredAsync(Cancel));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await cleanup.DeleteExpiredAsync(Cancel));
        Assert.Null(await store.LoadAsync(soon.CorrelationId, Cancel));
        Assert.NotNull(await store.LoadAsync(later.CorrelationId, Cancel));

        later.ExpiresAt = Start.AddDays(1);
        await store.UpdateAsync(later, Cancel);
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await cleanup.DeleteExpiredAsync(Cancel));
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await cleanup.DeleteExpiredAsync(Cancel));
        Assert.NotNull(await store.LoadAsync(never.CorrelationId, Cancel));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_load_and_save_many_instances_at_once_and_return_only_the_conflicts(DatabaseProvider provider)
    {
        await using var database = await NewDatabaseAsync(provider);
        var store = new SagaStore<CounterSaga>(database, TimeProvider.System);
        var kept = new CounterSaga { CorrelationId = Guid.NewGuid(), Count = 1 };
        var raced = new CounterSaga { CorrelationId = Guid.NewGuid(), Count = 1 };
        Assert.Empty(await store.SaveManyAsync([kept, raced], Cancel));
        Assert.Equal((1, 1), (kept.Version, raced.Version));

        var loaded = await store.LoadManyAsync([kept.CorrelationId, raced.CorrelationId, Guid.NewGuid()], Cancel);
        Assert.Equal(new[] { kept.CorrelationId, raced.CorrelationId }.Order(), loaded.Keys.Order());
        var other = (await store.LoadAsync(raced.CorrelationId, Cancel))!;
        other.Count = 50;
        await store.UpdateAsync(other, Cancel);
        var created = new CounterSaga { CorrelationId = Guid.NewGuid(), Count = 7 };
        var createdElsewhere = new CounterSaga { CorrelationId = created.CorrelationId, Count = 8 };
        await store.InsertAsync(createdElsewhere, Cancel);
        foreach (var saga in loaded.Values)
            saga.Count = 2;

        var conflicts = await store.SaveManyAsync([loaded[kept.CorrelationId], loaded[raced.CorrelationId], created], Cancel);

        Assert.Equal([raced.CorrelationId, created.CorrelationId], conflicts.Select(c => c.CorrelationId));
        Assert.Equal((2, 2), ((await store.LoadAsync(kept.CorrelationId, Cancel))!.Version, loaded[kept.CorrelationId].Version));
        Assert.Equal(2, (await store.LoadAsync(kept.CorrelationId, Cancel))!.Count);
        Assert.Equal(50, (await store.LoadAsync(raced.CorrelationId, Cancel))!.Count);
        Assert.Equal(8, (await store.LoadAsync(created.CorrelationId, Cancel))!.Count);
        Assert.Empty(await store.LoadManyAsync([], Cancel));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_save_hundreds_of_instances_at_once_with_their_states_versions_and_expiries(DatabaseProvider provider)
    {
        await using var database = await NewDatabaseAsync(provider);
        var time = new FakeTimeProvider(Start);
        var store = new SagaStore<CounterSaga>(database, time);
        var cleanup = new ExpiredSagaCleanup(database, time, NullLogger<ExpiredSagaCleanup>.Instance);
        // Every other one expires in a minute; the rest never do.
        var sagas = Enumerable.Range(0, 400)
            .Select(n => new CounterSaga { CorrelationId = Guid.NewGuid(), Count = n, Seen = [$"entry {n}"], ExpiresAt = n % 2 == 0 ? Start.AddMinutes(1) : null })
            .ToList();
        Assert.Empty(await store.SaveManyAsync(sagas, Cancel));

        var loaded = await store.LoadManyAsync([.. sagas.Select(s => s.CorrelationId)], Cancel);
        Assert.All(sagas, saga => Assert.Equal((1, saga.Count, saga.Seen.Single()), (loaded[saga.CorrelationId].Version, loaded[saga.CorrelationId].Count, loaded[saga.CorrelationId].Seen.Single())));
        foreach (var saga in loaded.Values)
            saga.Count += 1000;
        Assert.Empty(await store.SaveManyAsync([.. loaded.Values], Cancel));

        var again = await store.LoadManyAsync([.. sagas.Select(s => s.CorrelationId)], Cancel);
        Assert.All(sagas, saga => Assert.Equal((2, saga.Count + 1000), (again[saga.CorrelationId].Version, again[saga.CorrelationId].Count)));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(200, await cleanup.DeleteExpiredAsync(Cancel));
    }

    async Task<Database> NewDatabaseAsync(DatabaseProvider provider)
    {
        var database = new Database(new StorageOptions
        {
            Provider = provider,
            ConnectionString = provider == DatabaseProvider.Postgres
                ? await postgres.Cluster.CreateDatabaseAsync()
                : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-sagas-").FullName, "test.db")};Default Timeout=30",
        });
        await new SchemaMigrator(database, [SagaSchema.V1], NullLogger<SchemaMigrator>.Instance).MigrateAsync(Cancel);
        return database;
    }
}
