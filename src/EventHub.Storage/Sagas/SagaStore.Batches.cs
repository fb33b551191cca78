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
        var conflicts = new List<TSaga>();
        if (sagas.Count == 0)
            return conflicts;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = UnixMicros.From(time.GetUtcNow());
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

        await transaction.CommitAsync(cancellationToken);
        foreach (var saga in sagas.Except(conflicts))
            saga.Version++;
        return conflicts;
    }
}
