using System.Net.Sockets;
using EventHub.Storage.Startup;
using EventHub.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventHub.Storage.Tests;

/// <summary>What a host does with a database that is not there yet, and what it does with one that refuses it.</summary>
public sealed class DatabaseStartupTests
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    static readonly StorageOptions Postgres = new() { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=db;Username=eventhub;Password=s3cret" };
    static readonly StorageOptions Sqlite = new() { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=/var/lib/eventhub/eventhub.db" };

    [Fact]
    public async Task Should_refuse_connections_as_a_transient_error_until_the_schema_is_migrated_then_serve_them()
    {
        await using var database = new Database(new StorageOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("eventhub-gate-").FullName, "test.db")}",
        });

        var refused = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => database.OpenAsync(Cancel));
        Assert.True(refused.IsTransient);
        Assert.Equal(HealthStatus.Unhealthy, (await new DatabaseHealthCheck(database).CheckHealthAsync(new HealthCheckContext(), Cancel)).Status);
        var waiting = database.Status.WaitUntilReadyAsync(Cancel);
        Assert.False(waiting.IsCompleted);

        await new SchemaMigrator(database, [], NullLogger<SchemaMigrator>.Instance).MigrateAsync(Cancel);

        await waiting.WaitAsync(Eventually.DefaultLimit, Cancel);
        await using var connection = await database.OpenAsync(Cancel);
        Assert.Equal(HealthStatus.Healthy, (await new DatabaseHealthCheck(database).CheckHealthAsync(new HealthCheckContext(), Cancel)).Status);
    }

    [Fact]
    public void Should_double_the_delay_up_to_its_bound_and_start_over_after_a_success()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));

        Assert.Equal([250, 500, 1000, 1000], Enumerable.Range(0, 4).Select(_ => backoff.Next().TotalMilliseconds));
        backoff.Reset();
        Assert.Equal(250, backoff.Next().TotalMilliseconds);
    }

    public static TheoryData<Exception> Unreachable =>
    [
        new NpgsqlException("Failed to connect to 10.0.0.5:5432", new SocketException((int)SocketError.ConnectionRefused)),
        new NpgsqlException("Failed to connect to db:5432", new SocketException((int)SocketError.HostNotFound)),
        new NpgsqlException("The operation has timed out", new TimeoutException()),
        new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"),
        new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"),
    ];

    [Theory]
    [MemberData(nameof(Unreachable))]
    public void Should_wait_for_a_postgres_database_that_does_not_answer_or_is_still_starting(Exception error) =>
        Assert.Null(DatabaseErrors.SettingError(error, Postgres));

    public static TheoryData<Exception, string> Refused => new()
    {
        { new PostgresException("password authentication failed for user \"eventhub\"", "FATAL", "FATAL", "28P01"), "28P01" },
        { new PostgresException("role \"eventhub\" does not exist", "FATAL", "FATAL", "28000"), "28000" },
        { new PostgresException("database \"eventhub\" does not exist", "FATAL", "FATAL", "3D000"), "3D000" },
        { new PostgresException("permission denied for schema public", "ERROR", "ERROR", "42501"), "42501" },
        { new NpgsqlException("No password has been provided but the backend requires one (in SASL/SCRAM-SHA-256)"), "No password" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Should_stop_with_exit_code_2_and_one_line_naming_the_connection_string_when_postgres_refuses_it(Exception error, string said)
    {
        var stop = DatabaseErrors.SettingError(error, Postgres);

        Assert.NotNull(stop);
        Assert.Equal(2, stop.ExitCode);
        Assert.StartsWith("ConnectionStrings__EventHub ", stop.Message, StringComparison.Ordinal);
        Assert.Contains(said, stop.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", stop.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(8)]
    [InlineData(3)]
    public void Should_stop_with_one_line_naming_the_file_when_sqlite_cannot_write_it(int sqliteCode)
    {
        var stop = DatabaseErrors.SettingError(new SqliteException("SQLite Error: 'unable to open database file'.", sqliteCode), Sqlite);

        Assert.NotNull(stop);
        Assert.Equal(2, stop.ExitCode);
        Assert.Contains("/var/lib/eventhub/eventhub.db", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_wait_for_a_sqlite_file_another_process_holds_locked()
    {
        const int busy = 5;
        Assert.Null(DatabaseErrors.SettingError(new SqliteException("database is locked", busy), Sqlite));
    }

    [Fact]
    public void Should_describe_an_error_on_one_line_with_its_cause()
    {
        var error = new NpgsqlException("Failed to connect to 10.0.0.5:5432", new IOException("first line\nsecond line"));

        Assert.Equal("NpgsqlException: Failed to connect to 10.0.0.5:5432 (first line second line)", DatabaseErrors.Describe(error));
    }
}
