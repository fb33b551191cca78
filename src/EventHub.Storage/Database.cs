using System.Data.Common;
using EventHub.Storage.Startup;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EventHub.Storage;

/// <summary>Opens connections to the hub's database. Modules write SQL that both dialects accept, or branch on <see cref="Provider"/>.</summary>
public sealed class Database : IAsyncDisposable
{
    readonly NpgsqlDataSource? _postgres;
    readonly string _sqliteConnectionString = "";

    public Database(StorageOptions options)
    {
        Provider = options.Provider;
        if (Provider == DatabaseProvider.Postgres)
            _postgres = NpgsqlDataSource.Create(WithoutResetOnClose(options.ConnectionString));
        else
            _sqliteConnectionString = options.ConnectionString;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>
    /// Npgsql resets a pooled connection on every reuse (<c>DISCARD ALL</c>, one more statement for the server per open:
    /// 29,631 in one <c>--quick</c> bench run, more than every other statement together). The hub sets no session state:
    /// no <c>SET</c>, no <c>LISTEN</c>, no temporary tables or prepared statements; its one session lock (the migrator's
    /// advisory lock) is released in a <c>finally</c>, and a connection whose release failed is closed, not pooled. So
    /// there is nothing to reset, unless the connection string asks for it.
    /// </summary>
    static string WithoutResetOnClose(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers whether the keyword exists, not whether the string set it.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("NoResetOnClose", StringComparison.OrdinalIgnoreCase)))
            return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
    }

    /// <summary>Opens when <see cref="SchemaMigrator"/> has brought the schema up to date.</summary>
    public DatabaseStatus Status { get; } = new();

    /// <summary>
    /// A connection to a database whose schema is in place; until then a <see cref="DatabaseUnavailableException"/>
    /// (the host answers 503), so nothing reads or writes tables that may not exist yet.
    /// </summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        Status.IsReady
            ? OpenUncheckedAsync(cancellationToken)
            : Task.FromException<DbConnection>(new DatabaseUnavailableException(
                $"The {Provider} database is not ready yet: {Status.LastError ?? "its schema is being migrated"}"));

    internal async Task<DbConnection> OpenUncheckedAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(cancellationToken);

        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
    }
}
