using Dapper;
using EventHub.Contracts;
using EventHub.Storage;

namespace EventHub.Events.EventLog;

/// <summary>The event log table: every event stored once (the id is unique; a redelivered event is a no-op).</summary>
internal sealed class EventLogStore(Database database)
{
    const string Insert = """
        INSERT INTO events (id, name, source, occurred_at, received_at, payload)
        VALUES (@Id, @Name, @Source, @OccurredAt, @ReceivedAt, @Payload)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Stores the events in one transaction; returns how many were new.</summary>
    public async Task<int> AppendAsync(IReadOnlyCollection<IHubEvent> events, CancellationToken cancellationToken)
    {
        var rows = events.Select(e => new
        {
            Id = e.EventId,
            e.Name,
            e.Source,
            OccurredAt = StoredEvent.ToMicroseconds(e.OccurredAt),
            ReceivedAt = StoredEvent.ToMicroseconds(e.ReceivedAt),
            e.Payload,
        }).ToList();

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(Insert, rows, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    public async Task<StoredEvent?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredEvent>(new CommandDefinition(
            "SELECT seq, id, name, source, occurred_at AS OccurredAt, received_at AS ReceivedAt, payload FROM events WHERE id = @id",
            new { id },
            cancellationToken: cancellationToken));
    }
}
