using EventHub.Composition.Switches;
using EventHub.Contracts.Auth0;
using EventHub.Storage;
using Microsoft.Extensions.Options;

namespace EventHub.Auth0.Backfill;

/// <summary>The backfill's checkpoint and run, for <c>GET /v1/auth0/backfill</c> and, in process, for the dashboard.</summary>
internal sealed class BackfillStatusReader(BackfillStore store, IOptions<Auth0Options> options, HubSwitches switches, TimeProvider time) : IBackfillStatusReader
{
    public async Task<BackfillStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (switches.Backfill == BackfillMode.Off)
            return Of(BackfillMode.Off, null, null, time.GetUtcNow());
        var tenant = BackfillSettings.Tenant(settings);
        return Of(switches.Backfill, tenant, await store.GetAsync(tenant, cancellationToken), time.GetUtcNow());
    }

    public static BackfillStatus Of(BackfillMode mode, string? tenant, BackfillRow? row, DateTimeOffset now)
    {
        if (row is null)
            return new BackfillStatus(mode.ToString(), tenant, null, null, null, null, null);
        var run = row.RunState is null
            ? null
            : new BackfillRunStatus(row.RunState, row.RunTrigger, row.RunFrom, row.RunPages, row.RunFetched, row.RunPublished, row.RunSkipped, row.RunLastLogId, UnixMicros.ToTime(row.RunStartedAt), UnixMicros.ToTime(row.RunFinishedAt), row.RunError);
        var leased = row.LeaseHolder is not null && UnixMicros.ToTime(row.LeaseExpiresAt) > now;
        return new BackfillStatus(mode.ToString(), tenant, row.Checkpoint, UnixMicros.ToTime(row.CheckpointAt), row.RequestedFrom, leased ? row.LeaseHolder : null, run);
    }

}
