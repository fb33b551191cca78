using System.Data.Common;
using System.Runtime.ExceptionServices;
using Dapper;
using EventHub.Publishing;
using EventHub.Storage;

namespace EventHub.Listeners.Delivery;

/// <summary>
/// The two writes every delivery makes, begin and record, written for every delivery waiting at that moment together
/// (<see cref="WriteBatcher{TItem, TResult}"/>, no timer): on PostgreSQL one round trip of set statements over arrays
/// for all of them, on SQLite (in the process, no round trips) one transaction. A listener delivers up to 32 events at
/// once, so under load a delivery costs a share of two round trips instead of two of its own (issue 20). A write that
/// fails is tried again one delivery at a time, so one delivery the database refuses fails alone.
/// </summary>
internal sealed partial class DeliveryStore
{
    const int MaxRowsPerWrite = 500;

    readonly Database _database;
    readonly WriteBatcher<Begin, Written> _begins;
    readonly WriteBatcher<Attempt, Written> _attempts;

    public DeliveryStore(Database database)
    {
        _database = database;
        _begins = new(items => EachAloneIfRefusedAsync(items, BeginManyAsync), _ => 1, MaxRowsPerWrite);
        _attempts = new(items => EachAloneIfRefusedAsync(items, RecordManyAsync), _ => 1, MaxRowsPerWrite);
    }

    /// <summary>
    /// Records that the event reached the listener; true when it is to be attempted: the record is new, or pending with no
    /// attempt (left by a process that stopped before attempting it, or begun by a delivery of the same event running at
    /// the same time: at least once, as before). False when the listener already has the event: delivered, on its retry
    /// schedule, dead. A cancelled caller stops waiting, not the write: a stopping host does not wait for the database, and
    /// what was written anyway is what a redelivery of the event finds.
    /// </summary>
    public async Task<bool> BeginAsync(string listenerId, DeliveryItem item, long now, CancellationToken cancellationToken) =>
        (await _begins.WriteAsync(new Begin(listenerId, item, now)).WaitAsync(cancellationToken)).Value;

    /// <summary>
    /// Records an attempt and the delivery's new state: the attempt is appended as one more than the last recorded (so a
    /// crash-redelivery never collides), then the delivery is updated; a success also clears the listener's failing
    /// streak (what <c>ListenerHealth</c> would otherwise do on a connection of its own).
    /// </summary>
    public async Task RecordAsync(string listenerId, string eventId, Outcome outcome, SendResult result, bool replay, long now, CancellationToken cancellationToken) =>
        _ = (await _attempts.WriteAsync(new Attempt(listenerId, eventId, outcome, result, replay, now)).WaitAsync(cancellationToken)).Value;

    sealed record Begin(string ListenerId, DeliveryItem Item, long Now);

    sealed record Attempt(string ListenerId, string EventId, Outcome Outcome, SendResult Result, bool Replay, long Now)
    {
        // What the receiver or the pull client sent may hold what no database stores; one such attempt would fail forever.
        public string? AttemptError { get; } = StorableText.From(Result.Error);

        public string? Output { get; } = StorableText.From(Result.Output);

        public string? Error => StorableText.From(Outcome.Error) ?? AttemptError;

        public bool Succeeded => Outcome.State == DeliveryStates.Succeeded;
    }

    /// <summary>One write's answer to one caller: its value, or the exception its own write ended with.</summary>
    readonly record struct Written(bool Result, ExceptionDispatchInfo? Failure)
    {
        public bool Value
        {
            get
            {
                Failure?.Throw();
                return Result;
            }
        }
    }

    static async Task<IReadOnlyList<Written>> EachAloneIfRefusedAsync<TItem>(IReadOnlyList<TItem> items, Func<IReadOnlyList<TItem>, Task<IReadOnlyList<bool>>> write)
    {
        try
        {
            return [.. (await write(items)).Select(result => new Written(result, null))];
        }
        catch (Exception e) when (items.Count > 1 && e is DbException { IsTransient: false } or ArgumentException)
        {
            // Refused for what it holds (a string PostgreSQL will not store), not for the database being away: only then is
            // each tried alone, or a database that hangs would be waited for once per delivery.
            var written = new List<Written>(items.Count);
            foreach (var item in items)
            {
                try
                {
                    written.Add(new Written((await write([item]))[0], null));
                }
                catch (Exception alone)
                {
                    written.Add(new Written(false, ExceptionDispatchInfo.Capture(alone)));
                }
            }

            return written;
        }
        catch (Exception e)
        {
            var failure = ExceptionDispatchInfo.Capture(e);
            return [.. items.Select(_ => new Written(false, failure))];
        }
    }

    async Task<IReadOnlyList<bool>> BeginManyAsync(IReadOnlyList<Begin> begins)
    {
        // Two deliveries of one event in a write are one row: both get its state.
        var distinct = begins.DistinctBy(b => (b.ListenerId, b.Item.EventId)).ToList();

        await using var connection = await _database.OpenAsync(CancellationToken.None);
        var states = _database.Provider == DatabaseProvider.Postgres
            ? await BeginOnPostgresAsync(connection, distinct)
            : await BeginOnSqliteAsync(connection, distinct);
        return [.. begins.Select(begin => states[(begin.ListenerId, begin.Item.EventId)] is (DeliveryStates.Pending, 0))];
    }

    static async Task<Dictionary<(string, string), (string State, long Attempts)>> BeginOnPostgresAsync(DbConnection connection, IReadOnlyList<Begin> begins)
    {
        var rows = await connection.QueryAsync<(string ListenerId, string EventId, string State, long Attempts)>(
            """
            INSERT INTO deliveries (listener_id, event_id, event_name, event_source, occurred_at, received_at, payload, state, attempts, created_at, updated_at)
            SELECT v.listener_id, v.event_id, v.event_name, v.event_source, v.occurred_at, v.received_at, v.payload, 'pending', 0, v.now, v.now
            FROM unnest(@listenerIds, @eventIds, @names, @sources, @occurredAts, @receivedAts, @payloads, @nows)
                AS v(listener_id, event_id, event_name, event_source, occurred_at, received_at, payload, now)
            ON CONFLICT (listener_id, event_id) DO NOTHING;
            SELECT d.listener_id, d.event_id, d.state, d.attempts
            FROM deliveries AS d JOIN unnest(@listenerIds, @eventIds) AS v(listener_id, event_id) ON d.listener_id = v.listener_id AND d.event_id = v.event_id;
            """,
            new
            {
                listenerIds = begins.Select(b => b.ListenerId).ToArray(),
                eventIds = begins.Select(b => b.Item.EventId).ToArray(),
                names = begins.Select(b => b.Item.Name).ToArray(),
                sources = begins.Select(b => b.Item.Source).ToArray(),
                occurredAts = begins.Select(b => b.Item.OccurredAt).ToArray(),
                receivedAts = begins.Select(b => b.Item.ReceivedAt).ToArray(),
                payloads = begins.Select(b => b.Item.Payload).ToArray(),
                nows = begins.Select(b => b.Now).ToArray(),
            });
        return rows.ToDictionary(r => (r.ListenerId, r.EventId), r => (r.State, r.Attempts));
    }

    static async Task<Dictionary<(string, string), (string State, long Attempts)>> BeginOnSqliteAsync(DbConnection connection, IReadOnlyList<Begin> begins)
    {
        var states = new Dictionary<(string, string), (string State, long Attempts)>();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (listenerId, item, now) in begins)
        {
            states[(listenerId, item.EventId)] = await connection.QuerySingleAsync<(string, long)>(
                """
                INSERT INTO deliveries (listener_id, event_id, event_name, event_source, occurred_at, received_at, payload, state, attempts, created_at, updated_at)
                VALUES (@listenerId, @EventId, @Name, @Source, @OccurredAt, @ReceivedAt, @Payload, 'pending', 0, @now, @now)
                ON CONFLICT (listener_id, event_id) DO NOTHING;
                SELECT state, attempts FROM deliveries WHERE listener_id = @listenerId AND event_id = @EventId;
                """,
                new { listenerId, item.EventId, item.Name, item.Source, item.OccurredAt, item.ReceivedAt, item.Payload, now },
                transaction);
        }

        await transaction.CommitAsync();
        return states;
    }

    async Task<IReadOnlyList<bool>> RecordManyAsync(IReadOnlyList<Attempt> attempts)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        if (_database.Provider == DatabaseProvider.Sqlite)
        {
            await RecordOnSqliteAsync(connection, attempts);
            return [.. attempts.Select(_ => true)];
        }

        // Two attempts of one delivery in a write (rare: a redelivery racing its retry) are recorded in turn, so the second
        // is numbered after the first and its state is the one left.
        foreach (var turn in attempts.GroupBy(a => (a.ListenerId, a.EventId)).SelectMany(g => g.Select((attempt, nth) => (attempt, nth))).GroupBy(x => x.nth).OrderBy(g => g.Key))
            await RecordOnPostgresAsync(connection, [.. turn.Select(x => x.attempt)]);
        return [.. attempts.Select(_ => true)];
    }

    static Task RecordOnPostgresAsync(DbConnection connection, IReadOnlyList<Attempt> attempts) =>
        connection.ExecuteAsync(
            """
            INSERT INTO delivery_attempts (listener_id, event_id, attempt, at, status_code, duration_ms, error, replay)
            SELECT v.listener_id, v.event_id,
                COALESCE((SELECT MAX(a.attempt) FROM delivery_attempts AS a WHERE a.listener_id = v.listener_id AND a.event_id = v.event_id), 0) + 1,
                v.at, v.status_code, v.duration_ms, v.error, v.replay
            FROM unnest(@listenerIds, @eventIds, @ats, @statusCodes, @durations, @attemptErrors, @replays)
                AS v(listener_id, event_id, at, status_code, duration_ms, error, replay)
            ON CONFLICT (listener_id, event_id, attempt) DO NOTHING;
            UPDATE deliveries AS d SET state = v.state, attempts = v.attempts, next_attempt_at = v.next_attempt_at, lease_until = NULL,
                last_status = v.status_code, last_error = v.error, output = v.output, replay_pending = 0, updated_at = v.at
            FROM unnest(@listenerIds, @eventIds, @states, @counts, @nextAttemptAts, @statusCodes, @errors, @outputs, @ats)
                AS v(listener_id, event_id, state, attempts, next_attempt_at, status_code, error, output, at)
            WHERE d.listener_id = v.listener_id AND d.event_id = v.event_id;
            UPDATE listeners SET failing_since = NULL, failed_events = 0 WHERE id = ANY(@succeeded) AND failing_since IS NOT NULL;
            """,
            new
            {
                listenerIds = attempts.Select(a => a.ListenerId).ToArray(),
                eventIds = attempts.Select(a => a.EventId).ToArray(),
                ats = attempts.Select(a => a.Now).ToArray(),
                statusCodes = attempts.Select(a => a.Result.StatusCode).ToArray(),
                durations = attempts.Select(a => a.Result.DurationMs).ToArray(),
                attemptErrors = attempts.Select(a => a.AttemptError).ToArray(),
                replays = attempts.Select(a => a.Replay ? 1 : 0).ToArray(),
                states = attempts.Select(a => a.Outcome.State).ToArray(),
                counts = attempts.Select(a => a.Outcome.Attempts).ToArray(),
                nextAttemptAts = attempts.Select(a => a.Outcome.NextAttemptAt).ToArray(),
                errors = attempts.Select(a => a.Error).ToArray(),
                outputs = attempts.Select(a => a.Output).ToArray(),
                succeeded = attempts.Where(a => a.Succeeded).Select(a => a.ListenerId).Distinct().ToArray(),
            });

    static async Task RecordOnSqliteAsync(DbConnection connection, IReadOnlyList<Attempt> attempts)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var attempt in attempts)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO delivery_attempts (listener_id, event_id, attempt, at, status_code, duration_ms, error, replay)
                SELECT @listenerId, @eventId, COALESCE(MAX(attempt), 0) + 1, @now, @StatusCode, @DurationMs, @attemptError, @replay
                FROM delivery_attempts WHERE listener_id = @listenerId AND event_id = @eventId
                ON CONFLICT (listener_id, event_id, attempt) DO NOTHING;
                UPDATE deliveries SET state = @State, attempts = @Attempts, next_attempt_at = @NextAttemptAt, lease_until = NULL,
                    last_status = @StatusCode, last_error = @error, output = @Output, replay_pending = 0, updated_at = @now
                WHERE listener_id = @listenerId AND event_id = @eventId;
                UPDATE listeners SET failing_since = NULL, failed_events = 0 WHERE @succeeded = 1 AND id = @listenerId AND failing_since IS NOT NULL;
                """,
                new
                {
                    listenerId = attempt.ListenerId, eventId = attempt.EventId, now = attempt.Now, attempt.Result.StatusCode, attempt.Result.DurationMs,
                    attemptError = attempt.AttemptError, replay = attempt.Replay ? 1 : 0, attempt.Outcome.State, attempt.Outcome.Attempts,
                    attempt.Outcome.NextAttemptAt, error = attempt.Error, attempt.Output, succeeded = attempt.Succeeded ? 1 : 0,
                },
                transaction);
        }

        await transaction.CommitAsync();
    }
}
