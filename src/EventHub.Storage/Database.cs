using System.Data.Common;
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

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
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
