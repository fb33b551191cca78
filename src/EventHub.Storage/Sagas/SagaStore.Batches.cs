using System.Data.Common;
using Dapper;

namespace EventHub.Storage.Sagas;

/// <summary>
/// Many instances in one round trip each way, for a consumer that handles a batch of messages (the Sigma correlations):
/// one load and one save per instance cost about 1 ms each on a busy host, most of that consumer's time.
/// </summary>
public sealed partial class SagaStore<TSaga>
{
    /// <summary>The stored instances among <paramref name="correlationIds"/>, by id; absent ones are not in the result.</summary>
    public async Task<Dictionary<Guid, TSaga>> LoadManyAsync(IReadOnlyCollection<Guid> correlationIds, CancellationToken cancellationToken)
    {
        if (correlationIds.Count == 0)
            return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Version)>(new CommandDefinition(
            // Npgsql takes the array as one parameter; Dapper expands it into a list for SQLite.
            database.Provider == DatabaseProvider.Postgres
                ? "SELECT state, version FROM sagas WHERE saga_type = @type AND correlation_id = ANY(@ids)"
                : "SELECT state, version FROM sagas WHERE saga_type = @type AND correlation_id IN @ids",
            new { type = SagaType, ids = correlationIds.Select(Id).ToArray() },
            cancellationToken: cancellationToken));
        return rows.Select(r => Read(r.State, r.Version)).ToDictionary(saga => saga.CorrelationId);
    }

    /// <summary>
    /// Saves each instance as <see cref="TryInsertAsync"/> (version 0) or <see cref="UpdateAsync"/> would, in one
    /// transaction; returns those another copy saved first (a conflict), which are left as they were. Saving the others
    /// anyway is what lets the caller retry only the conflicts.
    /// </summary>
    public async Task<IReadOnlyList<TSaga>> SaveManyAsync(IReadOnlyList<TSaga> sagas, CancellationToken cancellationToken)
    {
        if (sagas.Count == 0)
            return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = UnixMicros.From(time.GetUtcNow());
        var conflicts = database.Provider == DatabaseProvider.Postgres
            ? await SaveAllAtOnceAsync(connection, transaction, sagas, now, cancellationToken)
            : await SaveOneByOneAsync(connection, transaction, sagas, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var saga in sagas.Except(conflicts))
            saga.Version++;
        return conflicts;
    }

    /// <summary>
    /// Two statements whatever the count: a flood of failed logins touches a few hundred groups per batch, and a round
    /// trip each was most of the detections' time behind the ingest (a 5 s flood took 10 s more to be evaluated).
    /// </summary>
    static async Task<List<TSaga>> SaveAllAtOnceAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TSaga> sagas, long now, CancellationToken cancellationToken)
    {
        var saved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (sql, group) in new[] { (InsertManySql, sagas.Where(s => s.Version == 0).ToList()), (UpdateManySql, sagas.Where(s => s.Version != 0).ToList()) })
        {
            if (group.Count == 0)
                continue;
            saved.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                sql,
                new
                {
                    type = SagaType,
                    ids = group.Select(s => Id(s.CorrelationId)).ToArray(),
                    states = group.Select(Write).ToArray(),
                    loaded = group.Select(s => s.Version).ToArray(),
                    expires = group.Select(ExpiresAt).ToArray(),
                    now,
                },
                transaction,
                cancellationToken: cancellationToken)));
        }

        return [.. sagas.Where(s => !saved.Contains(Id(s.CorrelationId)))];
    }

    // As InsertSql and UpdateSql, for arrays of instances; each returns the ids it saved.
    const string InsertManySql = """
        INSERT INTO sagas (saga_type, correlation_id, state, version, expires_at, updated_at)
        SELECT @type, v.id, v.state, 1, v.expires_at, @now FROM unnest(@ids, @states, @expires) AS v(id, state, expires_at)
        ON CONFLICT (saga_type, correlation_id) DO NOTHING
        RETURNING correlation_id
        """;

    const string UpdateManySql = """
        UPDATE sagas AS s SET state = v.state, version = v.loaded + 1, expires_at = v.expires_at, updated_at = @now
        FROM unnest(@ids, @states, @loaded, @expires) AS v(id, state, loaded, expires_at)
        WHERE s.saga_type = @type AND s.correlation_id = v.id AND s.version = v.loaded
        RETURNING s.correlation_id
        """;

    /// <summary>SQLite runs in the process: a statement per instance costs no round trip.</summary>
    static async Task<List<TSaga>> SaveOneByOneAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TSaga> sagas, long now, CancellationToken cancellationToken)
    {
        var conflicts = new List<TSaga>();
        foreach (var saga in sagas)
        {
            var loaded = saga.Version;
            var saved = await connection.ExecuteAsync(new CommandDefinition(
                loaded == 0 ? InsertSql : UpdateSql,
                new { type = SagaType, id = Id(saga.CorrelationId), state = Write(saga), next = loaded + 1, loaded, expiresAt = ExpiresAt(saga), now },
                transaction,
                cancellationToken: cancellationToken));
            if (saved == 0)
                conflicts.Add(saga);
        }

        return conflicts;
    }
}
