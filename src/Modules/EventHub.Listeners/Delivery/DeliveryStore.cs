using Dapper;

namespace EventHub.Listeners.Delivery;

/// <summary>Transactions, due retries and dead letters of every listener (the <c>deliveries</c> and <c>delivery_attempts</c> tables).</summary>
internal sealed partial class DeliveryStore
{
    const string Columns = """
        listener_id AS ListenerId, event_id AS EventId, event_name AS EventName, event_source AS EventSource, occurred_at AS OccurredAt,
        received_at AS ReceivedAt, payload, state, attempts, next_attempt_at AS NextAttemptAt, last_status AS LastStatus,
        last_error AS LastError, output, replay_pending AS ReplayPending, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>
    /// Starts the event's delivery over, for a replay: a new record, or a settled (or stuck pending) one reset with a
    /// whole retry schedule; false when the event is on its retry schedule already, which delivers it anyway.
    /// </summary>
    public async Task<bool> BeginAgainAsync(string listenerId, DeliveryItem item, long now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO deliveries (listener_id, event_id, event_name, event_source, occurred_at, received_at, payload, state, attempts, replay_pending, created_at, updated_at)
            VALUES (@listenerId, @EventId, @Name, @Source, @OccurredAt, @ReceivedAt, @Payload, 'pending', 0, 1, @now, @now)
            ON CONFLICT (listener_id, event_id) DO UPDATE SET state = 'pending', attempts = 0, next_attempt_at = NULL, lease_until = NULL,
                payload = excluded.payload, replay_pending = 1, updated_at = excluded.updated_at
            WHERE deliveries.state <> 'failed-retrying'
            """,
            new { listenerId, item.EventId, item.Name, item.Source, item.OccurredAt, item.ReceivedAt, item.Payload, now },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The state an attempt leaves a delivery in; <paramref name="Error"/> replaces the attempt's own error on the delivery.</summary>
    public sealed record Outcome(string State, int Attempts, long? NextAttemptAt = null, string? Error = null);

    /// <summary>
    /// Hands a pull delivery that no stream of this copy could take back to the schedule, due at <paramref name="dueAt"/>,
    /// without counting an attempt: the copy (or later connection) with a stream takes it from there.
    /// </summary>
    public async Task ReleaseAsync(string listenerId, string eventId, long dueAt, long now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET state = 'failed-retrying', next_attempt_at = @dueAt, lease_until = NULL, updated_at = @now WHERE listener_id = @listenerId AND event_id = @eventId",
            new { listenerId, eventId, dueAt, now }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Whether the delivery may be in flight on a stream (first attempt under way, or a retry leased): null when the
    /// listener has no delivery of the event at all.
    /// </summary>
    public async Task<bool?> MayBeInFlightAsync(string listenerId, string eventId, long now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string State, long? LeaseUntil)?>(new CommandDefinition(
            "SELECT state, lease_until FROM deliveries WHERE listener_id = @listenerId AND event_id = @eventId",
            new { listenerId, eventId }, cancellationToken: cancellationToken));
        return row is not { } found ? null : found.State == DeliveryStates.Pending || (found.State == DeliveryStates.Retrying && found.LeaseUntil >= now);
    }

    /// <summary>
    /// Takes due retries for this copy: a lease keeps other copies off them while they are attempted. A pull listener's
    /// retries are taken only by a copy where it has a stream (<paramref name="pullListenersHere"/>): another could only
    /// give them back, once a second per copy (docs/adr/0024).
    /// </summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(long now, long leaseUntil, int limit, IReadOnlyCollection<string> pullListenersHere, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        // One parameter per listener: Dapper sends a list to PostgreSQL as one array parameter, which "IN" does not take.
        var parameters = new DynamicParameters(new { now, limit });
        var names = pullListenersHere.Select((id, i) =>
        {
            parameters.Add($"pull{i}", id);
            return $"@pull{i}";
        }).ToList();
        var streamed = names.Count == 0 ? "" : $" OR listener_id IN ({string.Join(", ", names)})";
        var due = await connection.QueryAsync<DeliveryRecord>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM deliveries WHERE state = 'failed-retrying' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until < @now)
            AND (listener_id NOT IN (SELECT id FROM listeners WHERE delivery_type = 'pull'){streamed})
            ORDER BY next_attempt_at LIMIT @limit
            """,
            parameters, cancellationToken: cancellationToken));
        var claimed = new List<DeliveryRecord>();
        foreach (var record in due)
        {
            var taken = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE deliveries SET lease_until = @leaseUntil WHERE listener_id = @ListenerId AND event_id = @EventId AND state = 'failed-retrying' AND (lease_until IS NULL OR lease_until < @now)",
                new { leaseUntil, now, record.ListenerId, record.EventId }, cancellationToken: cancellationToken));
            if (taken == 1)
                claimed.Add(record);
        }

        return claimed;
    }

    /// <summary>
    /// Extends leases this copy holds. Only a retry still leased is touched: one recorded meanwhile (its lease cleared)
    /// is not leased again.
    /// </summary>
    public async Task RenewLeasesAsync(IReadOnlyCollection<(string ListenerId, string EventId)> held, long leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET lease_until = @leaseUntil WHERE listener_id = @ListenerId AND event_id = @EventId AND state = 'failed-retrying' AND lease_until IS NOT NULL",
            held.Select(h => new { leaseUntil, h.ListenerId, h.EventId }), cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(string listenerId, string? state, string? afterEventId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeliveryRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM deliveries WHERE listener_id = @listenerId AND (@state IS NULL OR state = @state) AND (@after IS NULL OR event_id > @after) ORDER BY event_id LIMIT @limit",
            new { listenerId, state, after = afterEventId, limit }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ForEventAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeliveryRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM deliveries WHERE event_id = @eventId ORDER BY listener_id", new { eventId }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(string listenerId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
            return [];
        await using var connection = await _database.OpenAsync(cancellationToken);
        var attempts = new List<DeliveryAttempt>();
        foreach (var eventId in eventIds)
        {
            attempts.AddRange(await connection.QueryAsync<DeliveryAttempt>(new CommandDefinition(
                "SELECT event_id AS EventId, attempt, at, status_code AS StatusCode, duration_ms AS DurationMs, error, replay FROM delivery_attempts WHERE listener_id = @listenerId AND event_id = @eventId ORDER BY attempt",
                new { listenerId, eventId }, cancellationToken: cancellationToken)));
        }

        return attempts;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(string listenerId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM deliveries WHERE listener_id = @listenerId GROUP BY state", new { listenerId }, cancellationToken: cancellationToken));
        return DeliveryStates.All.ToDictionary(s => s, s => rows.FirstOrDefault(r => r.State == s).Count);
    }

    /// <summary>Puts dead letters (all, or the given events) back on the retry schedule, due now; returns how many.</summary>
    public async Task<int> ReplayAsync(string listenerId, IReadOnlyCollection<string>? eventIds, long now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        // A replayed delivery gets a whole retry schedule again; its attempts keep counting in delivery_attempts.
        const string Sql = "UPDATE deliveries SET state = 'failed-retrying', attempts = 0, replay_pending = 1, next_attempt_at = @now, lease_until = NULL, updated_at = @now WHERE listener_id = @listenerId AND state = 'dead'";
        if (eventIds is null)
            return await connection.ExecuteAsync(new CommandDefinition(Sql, new { listenerId, now }, cancellationToken: cancellationToken));
        return await connection.ExecuteAsync(new CommandDefinition(Sql + " AND event_id = @eventId", eventIds.Select(eventId => new { listenerId, now, eventId }), cancellationToken: cancellationToken));
    }

    /// <summary>Deletes settled delivery records (succeeded, failed, dead) last changed before <paramref name="before"/>, with their attempts; returns how many.</summary>
    public async Task<int> DeleteSettledBeforeAsync(long before, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM delivery_attempts WHERE EXISTS (SELECT 1 FROM deliveries d
                WHERE d.listener_id = delivery_attempts.listener_id AND d.event_id = delivery_attempts.event_id
                AND d.state IN ('succeeded', 'failed', 'dead') AND d.updated_at < @before)
            """,
            new { before }, transaction, cancellationToken: cancellationToken));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM deliveries WHERE state IN ('succeeded', 'failed', 'dead') AND updated_at < @before", new { before }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
