namespace EventHub.Auth0.Backfill;

/// <summary>
/// The current or last run: <c>running</c>, <c>done</c> or <c>failed</c> (with why), from which log id, how many pages and
/// entries it read, how many it published and how many it skipped because the Log Stream (or an earlier pull) had them.
/// </summary>
internal sealed record BackfillRunStatus(
    string State,
    string? Trigger,
    string? From,
    long Pages,
    long Fetched,
    long Published,
    long Skipped,
    string? LastLogId,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error);
