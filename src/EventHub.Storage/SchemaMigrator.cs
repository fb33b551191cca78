using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace EventHub.Storage;

/// <summary>
/// Applies every module's <see cref="SchemaMigration"/> that the database has not seen yet, in version order,
/// each in its own transaction. On PostgreSQL an advisory lock makes concurrent host copies take turns.
/// </summary>
public sealed class SchemaMigrator(Database database, IEnumerable<SchemaMigration> migrations, ILogger<SchemaMigrator> logger)
{
    // Any constant works; it only has to be the same in every copy of the host.
    const long PostgresLockKey = 0x4576_656E_7448_7562;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenUncheckedAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Postgres)
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = PostgresLockKey }, cancellationToken: cancellationToken));
        else
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL", cancellationToken: cancellationToken));

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS eventhub_schema (module TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (module, version))",
                cancellationToken: cancellationToken));

            var applied = (await connection.QueryAsync<(string Module, long Version)>(
                new CommandDefinition("SELECT module, version FROM eventhub_schema", cancellationToken: cancellationToken)))
                .Select(x => (x.Module, (int)x.Version))
                .ToHashSet();

            foreach (var migration in migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version))
            {
                if (applied.Contains((migration.Module, migration.Version)))
                    continue;
                await ApplyAsync(connection, migration, cancellationToken);
                logger.LogInformation("Applied schema {Module} v{Version}", migration.Module, migration.Version);
            }

            database.Status.Ready();
        }
        finally
        {
            if (database.Provider == DatabaseProvider.Postgres)
                await UnlockAsync(connection);
        }
    }

    /// <summary>
    /// Pooled connections are not reset (see <see cref="Database"/>), so a connection whose lock could not be released must
    /// not go back to the pool holding it: it is closed instead, and the session ends with the lock.
    /// </summary>
    static async Task UnlockAsync(DbConnection connection)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = PostgresLockKey }, cancellationToken: CancellationToken.None));
        }
        catch
        {
            Npgsql.NpgsqlConnection.ClearPool((Npgsql.NpgsqlConnection)connection);
            throw;
        }
    }

    async Task ApplyAsync(DbConnection connection, SchemaMigration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sql = database.Provider == DatabaseProvider.Postgres ? migration.Postgres : migration.Sqlite;
        await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO eventhub_schema (module, version) VALUES (@Module, @Version)",
            new { migration.Module, migration.Version }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }
}
