namespace EventHub.Auth0.Backfill;

/// <summary>A tenant's backfill state as stored (times in Unix microseconds).</summary>
internal sealed class BackfillRow
{
    public string Tenant { get; init; } = "";
    public string? Checkpoint { get; init; }
    public long? CheckpointAt { get; init; }
    public string? RequestedFrom { get; init; }
    public long? RequestedAt { get; init; }
    public string? LeaseHolder { get; init; }
    public long LeaseExpiresAt { get; init; }
    public string? RunState { get; init; }
    public string? RunTrigger { get; init; }
    public string? RunFrom { get; init; }
    public long RunPages { get; init; }
    public long RunFetched { get; init; }
    public long RunPublished { get; init; }
    public long RunSkipped { get; init; }
    public string? RunLastLogId { get; init; }
    public long? RunStartedAt { get; init; }
    public long? RunFinishedAt { get; init; }
    public string? RunError { get; init; }
}
