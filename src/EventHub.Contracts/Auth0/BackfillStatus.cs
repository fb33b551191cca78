namespace EventHub.Contracts.Auth0;

/// <summary>
/// The backfill from the Auth0 Management API (<c>GET /v1/auth0/backfill</c>, and the dashboard's Auth0 page): its mode
/// (<c>Off</c>, <c>Gaps</c> or <c>Poll</c>), where the checkpoint is and what the current or last run did.
/// </summary>
/// <param name="Mode">Off, Gaps or Poll.</param>
/// <param name="Tenant">The tenant pulled from; null when off.</param>
/// <param name="Checkpoint">The last log id pulled or streamed.</param>
/// <param name="CheckpointAt">When the checkpoint moved.</param>
/// <param name="PendingFrom">Where a requested pull starts, until a copy takes it.</param>
/// <param name="PulledBy">The copy pulling now, if one is.</param>
/// <param name="Run">The current or last run.</param>
public sealed record BackfillStatus(
    string Mode,
    string? Tenant,
    string? Checkpoint,
    DateTimeOffset? CheckpointAt,
    string? PendingFrom,
    string? PulledBy,
    BackfillRunStatus? Run);
