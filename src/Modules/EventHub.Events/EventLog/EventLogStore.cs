using System.Data.Common;
using System.Text;
using Dapper;
using EventHub.Contracts;
using EventHub.Events.QueryEvents;
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

    // One statement for the whole batch: Dapper runs a list of rows as one INSERT (one round trip) per row, and on
    // PostgreSQL those 100 round trips per batch cost the host and the server more CPU than the rows themselves
    // (docs/adr/0006). Npgsql sends each array as one parameter.
    const string PostgresInsert = """
        INSERT INTO events (id, name, source, occurred_at, received_at, payload)
        SELECT * FROM unnest(@ids, @names, @sources, @occurredAt, @receivedAt, @payloads)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Stores the events in one transaction; returns how many were new.</summary>
    public async Task<int> AppendAsync(IReadOnlyCollection<IHubEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Postgres)
            return await AppendPostgresAsync(connection, events, cancellationToken);

        var rows = events.Select(e => new
        {
            Id = e.EventId,
            e.Name,
            e.Source,
            OccurredAt = UnixMicros.From(e.OccurredAt),
            ReceivedAt = UnixMicros.From(e.ReceivedAt),
            e.Payload,
        }).ToList();

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(Insert, rows, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    static Task<int> AppendPostgresAsync(DbConnection connection, IReadOnlyCollection<IHubEvent> events, CancellationToken cancellationToken)
    {
        var count = events.Count;
        var (ids, names, sources, payloads) = (new string[count], new string[count], new string[count], new string[count]);
        var (occurredAt, receivedAt) = (new long[count], new long[count]);
        var i = 0;
        foreach (var e in events)
        {
            ids[i] = e.EventId;
            names[i] = e.Name;
            sources[i] = e.Source;
            occurredAt[i] = UnixMicros.From(e.OccurredAt);
            receivedAt[i] = UnixMicros.From(e.ReceivedAt);
            payloads[i] = e.Payload;
            i++;
        }

        return connection.ExecuteAsync(new CommandDefinition(
            PostgresInsert, new { ids, names, sources, occurredAt, receivedAt, payloads }, cancellationToken: cancellationToken));
    }

    public async Task<StoredEvent?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredEvent>(new CommandDefinition(
            "SELECT seq, id, name, source, occurred_at AS OccurredAt, received_at AS ReceivedAt, payload FROM events WHERE id = @id",
            new { id },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Pages through the log in sequence order. A name pattern is prefiltered in SQL on its literal prefix, then matched
    /// exactly (<see cref="TopicPattern"/>); a scan reads at most a bounded number of rows per call, so a rare pattern
    /// over a large log returns a short page with a cursor instead of scanning everything at once.
    /// </summary>
    public async Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken)
    {
        const int MaxScannedRows = 20_000;
        var exact = query.Name is { } pattern && !pattern.Text.Contains('*') && !pattern.Text.Contains('#') ? pattern.Text : null;
        var prefix = query.Name is not null && exact is null ? EscapeLike(query.Name.LiteralPrefix) + "%" : null;
        var sql = new StringBuilder("SELECT seq, id, name, source, occurred_at AS OccurredAt, received_at AS ReceivedAt, payload FROM events WHERE seq > @after");
        if (exact is not null)
            sql.Append(" AND name = @exact");
        if (prefix is not null && prefix != "%")
            sql.Append(" AND name LIKE @prefix ESCAPE '\\'");
        if (query.Source is not null)
            sql.Append(" AND source = @source");
        if (query.Since is not null)
            sql.Append(" AND occurred_at >= @since");
        if (query.Until is not null)
            sql.Append(" AND occurred_at < @until");
        sql.Append(" ORDER BY seq LIMIT @take");

        var items = new List<StoredEvent>(query.Limit);
        var after = query.After;
        var scanned = 0;
        var filtered = (query.Name is not null && exact is null) || query.Visible is not null;
        var take = filtered ? Math.Max(query.Limit * 4, 200) : query.Limit + 1;
        await using var connection = await database.OpenAsync(cancellationToken);
        while (true)
        {
            var rows = (await connection.QueryAsync<StoredEvent>(new CommandDefinition(sql.ToString(), new
            {
                after,
                exact,
                prefix,
                source = query.Source,
                since = query.Since is { } s ? UnixMicros.From(s) : 0,
                until = query.Until is { } u ? UnixMicros.From(u) : 0,
                take,
            }, cancellationToken: cancellationToken))).ToList();

            foreach (var row in rows)
            {
                after = row.Seq;
                if ((query.Name is not null && exact is null && !query.Name.Matches(row.Name)) || query.Visible?.Invoke(row.Name) == false)
                    continue;
                if (items.Count == query.Limit)
                    return new EventPage(items, items[^1].Seq);
                items.Add(row);
            }

            scanned += rows.Count;
            if (rows.Count < take)
                return new EventPage(items, null);
            if (scanned >= MaxScannedRows)
                return new EventPage(items, after);
        }
    }

    public async Task<int> DeleteReceivedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM events WHERE received_at < @before", new { before = UnixMicros.From(before) }, cancellationToken: cancellationToken));
    }

    static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
