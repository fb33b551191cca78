using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

using EventHub.TestSupport;

namespace EventHub.Storage.Tests;

/// <summary>Schema migrations on SQLite and on a real PostgreSQL cluster.</summary>
public sealed class SchemaMigratorTests(PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    static readonly SchemaMigration[] Migrations =
    [
        new("beta", 2, "ALTER TABLE beta ADD COLUMN note TEXT;", "ALTER TABLE beta ADD COLUMN note TEXT;"),
        new("alpha", 1, "CREATE TABLE alpha (id INTEGER PRIMARY KEY);", "CREATE TABLE alpha (id INTEGER PRIMARY KEY);"),
        new("beta", 1, "CREATE TABLE beta (id INTEGER PRIMARY KEY);", "CREATE TABLE beta (id INTEGER PRIMARY KEY);"),
    ];

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_apply_each_module_in_version_order_once(DatabaseProvider provider)
    {
        await using var database = await NewDatabaseAsync(provider);

        await Migrator(database, Migrations).MigrateAsync(Cancel);
        await Migrator(database, Migrations).MigrateAsync(Cancel);

        await using var connection = await database.OpenAsync(Cancel);
        var applied = (await connection.QueryAsync<(string, long)>("SELECT module, version FROM eventhub_schema ORDER BY module, version")).ToList();
        Assert.Equal([("alpha", 1L), ("beta", 1L), ("beta", 2L)], applied);
        await connection.ExecuteAsync("INSERT INTO beta (id, note) VALUES (1, 'column from v2')");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Should_roll_back_a_failing_migration_and_not_record_it(DatabaseProvider provider)
    {
        await using var database = await NewDatabaseAsync(provider);
        SchemaMigration broken = new("gamma", 1, "CREATE TABLE gamma (id INTEGER); SELECT * FROM no_such_table;", "CREATE TABLE gamma (id INTEGER); SELECT * FROM no_such_table;");

        await Assert.ThrowsAnyAsync<Exception>(() => Migrator(database, [broken]).MigrateAsync(Cancel));

        Assert.False(database.Status.IsReady);
        await using var connection = await database.OpenUncheckedAsync(Cancel);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM eventhub_schema WHERE module = 'gamma'"));
        await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync("SELECT * FROM gamma"));
    }

    [Fact]
    public async Task Should_let_concurrent_host_copies_apply_each_migration_exactly_once_on_postgres()
    {
        var connectionString = await postgres.Cluster.CreateDatabaseAsync();
        SchemaMigration counted = new("counted", 1, "", "CREATE TABLE counted (n INTEGER); INSERT INTO counted VALUES (1);");
        var databases = Enumerable.Range(0, 4).Select(_ => new Database(new StorageOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString })).ToList();

        await Task.WhenAll(databases.Select(d => Migrator(d, [counted, .. Migrations]).MigrateAsync(Cancel)));

        await using var connection = await databases[0].OpenAsync(Cancel);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM counted"));
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM eventhub_schema"));
        foreach (var database in databases)
            await database.DisposeAsync();
    }

    [Fact]
    public async Task Should_report_an_unreachable_database_as_unhealthy_without_throwing()
    {
        await using var reachable = await NewDatabaseAsync(DatabaseProvider.Postgres);
        await Migrator(reachable, []).MigrateAsync(Cancel);
        await using var unreachable = new Database(new StorageOptions { Provider = DatabaseProvider.Postgres, ConnectionString = $"Host=127.0.0.1;Port={TestSupport.FreePort.Next()};Username=postgres;Timeout=2" });
        // As if it had been migrated and then went away.
        unreachable.Status.Ready();

        Assert.Equal(HealthStatus.Healthy, (await new DatabaseHealthCheck(reachable).CheckHealthAsync(new HealthCheckContext(), Cancel)).Status);
        var result = await new DatabaseHealthCheck(unreachable).CheckHealthAsync(new HealthCheckContext(), Cancel);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("Postgres unreachable: NpgsqlException: ", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Description!);
    }

    async Task<Database> NewDatabaseAsync(DatabaseProvider provider) => new(new StorageOptions
    {
        Provider = provider,
        ConnectionString = provider == DatabaseProvider.Postgres
            ? await postgres.Cluster.CreateDatabaseAsync()
            : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-storage-").FullName, "test.db")}",
    });

    static SchemaMigrator Migrator(Database database, IEnumerable<SchemaMigration> migrations) =>
        new(database, migrations, NullLogger<SchemaMigrator>.Instance);
}
