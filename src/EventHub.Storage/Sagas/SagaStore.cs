using System.Text.Json;
using Dapper;
using MassTransit;

namespace EventHub.Storage.Sagas;

/// <summary>
/// Reads and writes one saga type's instances in the <c>sagas</c> table. Writes are conditional on the version that was
/// read, so two host copies that loaded the same instance cannot both save it: the second gets a
/// <see cref="ConcurrencyException"/>, which the saga endpoint's retry answers by loading the instance again.
/// No transaction spans load and save; the version check is the whole protocol, the same on SQLite and PostgreSQL.
/// </summary>
public sealed partial class SagaStore<TSaga>(Database database, TimeProvider time)
    where TSaga : class, ISagaVersion
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    // The class name: renaming a saga's state class orphans its stored instances (they expire and are cleaned up).
    static readonly string SagaType = typeof(TSaga).Name;

    // Neither changes a row on a conflict (an instance already there, a version moved on), so neither fails a transaction.
    const string InsertSql = """
        INSERT INTO sagas (saga_type, correlation_id, state, version, expires_at, updated_at)
        VALUES (@type, @id, @state, 1, @expiresAt, @now)
        ON CONFLICT (saga_type, correlation_id) DO NOTHING
        """;

    const string UpdateSql = """
        UPDATE sagas SET state = @state, version = @next, expires_at = @expiresAt, updated_at = @now
        WHERE saga_type = @type AND correlation_id = @id AND version = @loaded
        """;

    public async Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string State, long Version)?>(new CommandDefinition(
            "SELECT state, version FROM sagas WHERE saga_type = @type AND correlation_id = @id",
            new { type = SagaType, id = Id(correlationId) },
            cancellationToken: cancellationToken));
        return row is { } found ? Read(found.State, found.Version) : null;
    }

    /// <summary>Every instance of the type, filtered in memory: for tools and tests, not for correlating messages.</summary>
    public async Task<IReadOnlyList<TSaga>> QueryAsync(Func<TSaga, bool> filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Version)>(new CommandDefinition(
            "SELECT state, version FROM sagas WHERE saga_type = @type",
            new { type = SagaType },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => Read(r.State, r.Version)).Where(filter)];
    }

    /// <summary>Stores a new instance at version 1; false when an instance with that id already exists.</summary>
    public async Task<bool> TryInsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        saga.Version = 1;
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new { type = SagaType, id = Id(saga.CorrelationId), state = Write(saga), expiresAt = ExpiresAt(saga), now = UnixMicros.From(time.GetUtcNow()) },
            cancellationToken: cancellationToken));
        if (inserted == 0)
            saga.Version = 0;
        return inserted == 1;
    }

    /// <summary>Stores a new instance; another copy having stored it first is a conflict.</summary>
    public async Task InsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        if (!await TryInsertAsync(saga, cancellationToken))
            throw Conflict(saga, "was created by another consumer first");
    }

    /// <summary>Saves the instance if nobody saved it since it was loaded (its <see cref="ISagaVersion.Version"/>), and moves the version on.</summary>
    public async Task UpdateAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var loaded = saga.Version;
        await using var connection = await database.OpenAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            UpdateSql,
            new { type = SagaType, id = Id(saga.CorrelationId), state = Write(saga), next = loaded + 1, loaded, expiresAt = ExpiresAt(saga), now = UnixMicros.From(time.GetUtcNow()) },
            cancellationToken: cancellationToken));
        if (updated == 0)
            throw Conflict(saga, $"changed since version {loaded} was loaded");
        saga.Version = loaded + 1;
    }

    public async Task DeleteAsync(TSaga saga, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sagas WHERE saga_type = @type AND correlation_id = @id AND version = @version",
            new { type = SagaType, id = Id(saga.CorrelationId), version = saga.Version },
            cancellationToken: cancellationToken));
        if (deleted == 0)
            throw Conflict(saga, $"changed since version {saga.Version} was loaded");
    }

    static TSaga Read(string state, long version)
    {
        var saga = JsonSerializer.Deserialize<TSaga>(state, Json) ?? throw new InvalidOperationException($"A stored {SagaType} is null.");
        saga.Version = checked((int)version);
        return saga;
    }

    static string Write(TSaga saga) => JsonSerializer.Serialize(saga, Json);

    static string Id(Guid correlationId) => correlationId.ToString("D");

    static long? ExpiresAt(TSaga saga) => saga is IExpiringSaga { ExpiresAt: { } at } ? UnixMicros.From(at) : null;

    static ConcurrencyException Conflict(TSaga saga, string what) =>
        new($"{SagaType} {saga.CorrelationId} {what}", typeof(TSaga), saga.CorrelationId);
}
