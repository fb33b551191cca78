namespace EventHub.Auth0.Backfill;

/// <summary>The answer of <c>GET /v1/auth0/backfill</c> (and of a request): where the checkpoint is and what the last run did.</summary>
internal sealed record BackfillStatus(
    string Mode,
    string? Tenant,
    string? Checkpoint,
    DateTimeOffset? CheckpointAt,
    string? PendingFrom,
    string? PulledBy,
    BackfillRunStatus? Run)
{
    public static BackfillStatus Of(BackfillMode mode, string? tenant, BackfillRow? row, DateTimeOffset now)
    {
        if (row is null)
            return new BackfillStatus(mode.ToString(), tenant, null, null, null, null, null);
        var run = row.RunState is null
            ? null
            : new BackfillRunStatus(row.RunState, row.RunTrigger, row.RunFrom, row.RunPages, row.RunFetched, row.RunPublished, row.RunSkipped, row.RunLastLogId, Time(row.RunStartedAt), Time(row.RunFinishedAt), row.RunError);
        var leased = row.LeaseHolder is not null && Time(row.LeaseExpiresAt) > now;
        return new BackfillStatus(mode.ToString(), tenant, row.Checkpoint, Time(row.CheckpointAt), row.RequestedFrom, leased ? row.LeaseHolder : null, run);
    }

    static DateTimeOffset? Time(long? micros) => micros is { } value ? DateTimeOffset.UnixEpoch.AddTicks(value * 10) : null;
}
