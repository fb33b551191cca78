using Dapper;
using EventHub.Storage;

namespace EventHub.Auth0.Backfill;

/// <summary>
/// The backfill's state in the database, shared by every host copy: the checkpoint (only ever moves forward), the lease
/// that lets one copy pull at a time, requests, progress, and the log ids this module has had confirmed by the broker.
/// </summary>
internal sealed class BackfillStore(Database database)
{
    const string Columns = """
        tenant, checkpoint, checkpoint_at AS CheckpointAt, requested_from AS RequestedFrom, requested_at AS RequestedAt,
        lease_holder AS LeaseHolder, lease_expires_at AS LeaseExpiresAt, run_state AS RunState, run_trigger AS RunTrigger,
        run_from AS RunFrom, run_pages AS RunPages, run_fetched AS RunFetched, run_published AS RunPublished,
        run_skipped AS RunSkipped, run_last_log_id AS RunLastLogId, run_started_at AS RunStartedAt,
        run_finished_at AS RunFinishedAt, run_error AS RunError
        """;

    public async Task<BackfillRow?> GetAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<BackfillRow>(new CommandDefinition(
            $"SELECT {Columns} FROM auth0_backfill WHERE tenant = @tenant", new { tenant }, cancellationToken: cancellationToken));
    }

    /// <summary>Takes the lease when it is free or expired (or already ours); false when another copy holds it.</summary>
    public async Task<bool> TryAcquireLeaseAsync(string tenant, string holder, long now, long expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One conditional upsert: the database decides, so two copies racing for it cannot both win.
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO auth0_backfill (tenant, lease_holder, lease_expires_at) VALUES (@tenant, @holder, @expiresAt)
            ON CONFLICT (tenant) DO UPDATE SET lease_holder = @holder, lease_expires_at = @expiresAt
            WHERE auth0_backfill.lease_expires_at < @now OR auth0_backfill.lease_holder = @holder
            """, new { tenant, holder, now, expiresAt }, cancellationToken: cancellationToken));
        return changed == 1;
    }

    public async Task ReleaseLeaseAsync(string tenant, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE auth0_backfill SET lease_holder = NULL, lease_expires_at = 0 WHERE tenant = @tenant AND lease_holder = @holder",
            new { tenant, holder }, cancellationToken: cancellationToken));
    }

    /// <summary>Asks for a pull from <paramref name="from"/>; pending requests merge to the earliest starting point.</summary>
    public async Task RequestAsync(string tenant, string from, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO auth0_backfill (tenant, requested_from, requested_at) VALUES (@tenant, @from, @now)
            ON CONFLICT (tenant) DO UPDATE SET requested_at = @now, requested_from = CASE
                WHEN auth0_backfill.requested_from IS NULL OR @from < auth0_backfill.requested_from THEN @from
                ELSE auth0_backfill.requested_from END
            """, new { tenant, from, now }, cancellationToken: cancellationToken));
    }

    /// <summary>Clears the pending request the lease holder is about to run (unless a newer one arrived meanwhile).</summary>
    public async Task ClearRequestAsync(string tenant, long requestedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE auth0_backfill SET requested_from = NULL, requested_at = NULL WHERE tenant = @tenant AND requested_at = @requestedAt",
            new { tenant, requestedAt }, cancellationToken: cancellationToken));
    }

    public async Task StartRunAsync(string tenant, string trigger, string from, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE auth0_backfill SET run_state = 'running', run_trigger = @trigger, run_from = @from, run_pages = 0, run_fetched = 0,
                run_published = 0, run_skipped = 0, run_last_log_id = NULL, run_started_at = @now, run_finished_at = NULL, run_error = NULL
            WHERE tenant = @tenant
            """, new { tenant, trigger, from, now }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// After a page was confirmed by the broker: moves the checkpoint forward (never back), counts the page and renews
    /// the lease, in one statement that only succeeds while <paramref name="holder"/> still holds the lease.
    /// </summary>
    public async Task<bool> CompletePageAsync(string tenant, string holder, string? lastLogId, int fetched, int published, long now, long leaseExpiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE auth0_backfill SET
                checkpoint = CASE WHEN @lastLogId IS NOT NULL AND (checkpoint IS NULL OR checkpoint < @lastLogId) THEN @lastLogId ELSE checkpoint END,
                checkpoint_at = CASE WHEN @lastLogId IS NOT NULL AND (checkpoint IS NULL OR checkpoint < @lastLogId) THEN @now ELSE checkpoint_at END,
                run_pages = run_pages + 1, run_fetched = run_fetched + @fetched, run_published = run_published + @published,
                run_skipped = run_skipped + @skipped, run_last_log_id = COALESCE(@lastLogId, run_last_log_id), lease_expires_at = @leaseExpiresAt
            WHERE tenant = @tenant AND lease_holder = @holder AND lease_expires_at >= @now
            """, new { tenant, holder, lastLogId, fetched, published, skipped = fetched - published, now, leaseExpiresAt }, cancellationToken: cancellationToken));
        return changed == 1;
    }

    public async Task FinishRunAsync(string tenant, string state, string? error, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE auth0_backfill SET run_state = @state, run_error = @error, run_finished_at = @now WHERE tenant = @tenant",
            new { tenant, state, error, now }, cancellationToken: cancellationToken));
    }

    /// <summary>Which of these log ids were already confirmed by the broker, from the Log Stream or an earlier pull.</summary>
    public async Task<HashSet<string>> KnownAsync(IReadOnlyCollection<string> logIds, CancellationToken cancellationToken)
    {
        if (logIds.Count == 0)
            return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        // Dapper hands Npgsql a list as one array parameter (ANY), and expands it into IN (...) for SQLite.
        var sql = database.Provider == DatabaseProvider.Postgres
            ? "SELECT log_id FROM auth0_known_logs WHERE log_id = ANY(@logIds)"
            : "SELECT log_id FROM auth0_known_logs WHERE log_id IN @logIds";
        var known = await connection.QueryAsync<string>(new CommandDefinition(sql, new { logIds = logIds.ToArray() }, cancellationToken: cancellationToken));
        return known.ToHashSet(StringComparer.Ordinal);
    }

    public async Task RecordKnownAsync(IReadOnlyCollection<string> logIds, string via, long now, CancellationToken cancellationToken)
    {
        if (logIds.Count == 0)
            return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO auth0_known_logs (log_id, via, recorded_at) VALUES (@LogId, @Via, @Now) ON CONFLICT (log_id) DO NOTHING",
            logIds.Select(logId => new { LogId = logId, Via = via, Now = now }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Forgets log ids recorded before <paramref name="before"/>: Auth0 keeps logs 30 days at most, a pull never sees them again.</summary>
    public async Task<int> PruneKnownAsync(long before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM auth0_known_logs WHERE recorded_at < @before", new { before }, cancellationToken: cancellationToken));
    }
}
