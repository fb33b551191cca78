using Dapper;
using EventHub.Storage;

namespace EventHub.Listeners.Replays;

/// <summary>
/// The <c>replay_jobs</c> table. Every write of a running job names the copy holding it, so a copy whose lease ran
/// out (and whose job another copy took) or whose job was cancelled learns it at its next write and stops.
/// </summary>
internal sealed class ReplayJobStore(Database database)
{
    const string Columns = """
        id, listener_id AS ListenerId, owner, kind, patterns, filter, from_time AS FromTime, to_time AS ToTime, cursor,
        position_time AS PositionTime, matched, delivered, failed, skipped, state, error, created_at AS CreatedAt,
        updated_at AS UpdatedAt, finished_at AS FinishedAt
        """;

    // A job is taken only while its listener is active: a paused or disabled listener's job waits, a deleted one's is never taken.
    const string Claimable = """
        state = 'running' AND (lease_until IS NULL OR lease_until < @now)
        AND EXISTS (SELECT 1 FROM listeners l WHERE l.id = replay_jobs.listener_id AND l.state = 'active')
        """;

    public async Task CreateAsync(ReplayJob job, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO replay_jobs (id, listener_id, owner, kind, patterns, filter, from_time, to_time, cursor, state, created_at, updated_at)
            VALUES (@Id, @ListenerId, @Owner, @Kind, @Patterns, @Filter, @FromTime, @ToTime, 0, 'running', @CreatedAt, @CreatedAt)
            """,
            job,
            cancellationToken: cancellationToken));
    }

    public async Task<ReplayJob?> FindAsync(string listenerId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ReplayJob>(new CommandDefinition(
            $"SELECT {Columns} FROM replay_jobs WHERE id = @id AND listener_id = @listenerId", new { id, listenerId }, cancellationToken: cancellationToken));
    }

    /// <summary>The listener's jobs, newest first.</summary>
    public async Task<IReadOnlyList<ReplayJob>> ListAsync(string listenerId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ReplayJob>(new CommandDefinition(
            $"SELECT {Columns} FROM replay_jobs WHERE listener_id = @listenerId ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { listenerId, limit },
            cancellationToken: cancellationToken))];
    }

    /// <summary>Replays asked for by the key that are still running on a listener that still exists.</summary>
    public async Task<int> CountRunningAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM replay_jobs WHERE owner = @owner AND kind = 'replay' AND state = 'running' AND EXISTS (SELECT 1 FROM listeners l WHERE l.id = replay_jobs.listener_id)",
            new { owner },
            cancellationToken: cancellationToken));
    }

    /// <summary>Cancels a running job; false when it had already ended.</summary>
    public async Task<bool> CancelAsync(string listenerId, string id, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE replay_jobs SET state = 'cancelled', finished_at = @now, updated_at = @now, claimed_by = NULL, lease_until = NULL WHERE id = @id AND listener_id = @listenerId AND state = 'running'",
            new { id, listenerId, now },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Takes the oldest job no live copy holds, for <paramref name="holder"/> until <paramref name="leaseUntil"/>.</summary>
    public async Task<ReplayJob?> ClaimAsync(string holder, long now, long leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var candidates = await connection.QueryAsync<ReplayJob>(new CommandDefinition(
            $"SELECT {Columns} FROM replay_jobs WHERE {Claimable} ORDER BY created_at LIMIT 5", new { now }, cancellationToken: cancellationToken));
        foreach (var job in candidates)
        {
            // The condition is checked again by the UPDATE itself: of two copies taking the same job, one changes the row.
            var taken = await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE replay_jobs SET claimed_by = @holder, lease_until = @leaseUntil WHERE id = @Id AND {Claimable}",
                new { holder, leaseUntil, now, job.Id },
                cancellationToken: cancellationToken));
            if (taken == 1)
                return job;
        }

        return null;
    }

    /// <summary>Keeps the job for <paramref name="holder"/>; false when it was cancelled or taken by another copy.</summary>
    public async Task<bool> RenewAsync(string id, string holder, long leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE replay_jobs SET lease_until = @leaseUntil WHERE id = @id AND claimed_by = @holder AND state = 'running'",
            new { id, holder, leaseUntil },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Records a page done: the cursor and the page's counts in one write, so a copy taking the job over goes on from
    /// the last page recorded, with counts that match it. With <paramref name="finalState"/> the job ends there.
    /// </summary>
    public async Task<bool> AdvanceAsync(string id, string holder, ReplayProgress page, string? finalState, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE replay_jobs SET cursor = @Cursor, position_time = COALESCE(@PositionTime, position_time), matched = matched + @Matched,
                delivered = delivered + @Delivered, failed = failed + @Failed, skipped = skipped + @Skipped, updated_at = @now,
                state = COALESCE(@finalState, state), finished_at = CASE WHEN @finalState IS NULL THEN NULL ELSE @now END,
                claimed_by = CASE WHEN @finalState IS NULL THEN claimed_by ELSE NULL END,
                lease_until = CASE WHEN @finalState IS NULL THEN lease_until ELSE NULL END
            WHERE id = @id AND claimed_by = @holder AND state = 'running'
            """,
            new { id, holder, page.Cursor, page.PositionTime, page.Matched, page.Delivered, page.Failed, page.Skipped, finalState, now },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Ends a job that cannot go on (its listener was deleted).</summary>
    public async Task FailAsync(string id, string holder, string error, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE replay_jobs SET state = 'failed', error = @error, finished_at = @now, updated_at = @now, claimed_by = NULL, lease_until = NULL WHERE id = @id AND claimed_by = @holder AND state = 'running'",
            new { id, holder, error, now },
            cancellationToken: cancellationToken));
    }
}

/// <summary>What one page of a job did, and where it leaves the cursor.</summary>
internal sealed record ReplayProgress(long Cursor, long? PositionTime, long Matched, long Delivered, long Failed, long Skipped);
