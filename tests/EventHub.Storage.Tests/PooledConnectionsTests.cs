using Dapper;
using EventHub.TestSupport;

namespace EventHub.Storage.Tests;

/// <summary>
/// Pooled PostgreSQL connections are handed out again as they were left (no <c>DISCARD ALL</c> per open), since the hub
/// leaves no session state on them; a connection string that asks for the reset gets it.
/// </summary>
public sealed class PooledConnectionsTests(PostgresFixture postgres)
{
    static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_hand_out_a_pooled_connection_again_without_resetting_it()
    {
        await using var database = await DatabaseAsync("");

        var (before, after) = await SessionSettingAcrossReuseAsync(database);

        Assert.Equal(before.Pid, after.Pid);
        Assert.Equal("left here", after.Setting);
    }

    [Fact]
    public async Task Should_reset_a_pooled_connection_when_the_connection_string_asks_for_it()
    {
        await using var database = await DatabaseAsync(";No Reset On Close=false");

        var (before, after) = await SessionSettingAcrossReuseAsync(database);

        Assert.Equal(before.Pid, after.Pid);
        Assert.Equal("", after.Setting);
    }

    async Task<Database> DatabaseAsync(string extra)
    {
        var database = new Database(new StorageOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await postgres.Cluster.CreateDatabaseAsync() + extra });
        database.Status.Ready();
        return database;
    }

    /// <summary>Sets a session setting on a connection, closes it, opens one again (the same backend: a pool of one idle connection).</summary>
    static async Task<((int Pid, string Setting) Before, (int Pid, string Setting) After)> SessionSettingAcrossReuseAsync(Database database)
    {
        (int, string) before, after;
        await using (var connection = await database.OpenAsync(Cancel))
            before = await connection.QuerySingleAsync<(int, string)>("SELECT pg_backend_pid(), set_config('eventhub.test', 'left here', false)");
        await using (var connection = await database.OpenAsync(Cancel))
            after = await connection.QuerySingleAsync<(int, string)>("SELECT pg_backend_pid(), COALESCE(current_setting('eventhub.test', true), '')");
        return (before, after);
    }
}
