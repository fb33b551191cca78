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
            _postgres = NpgsqlDataSource.Create(options.ConnectionString);
        else
            _sqliteConnectionString = options.ConnectionString;
    }

    public DatabaseProvider Provider { get; }

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
