namespace EventHub.Contracts.Auth0;

/// <summary>
/// The current or last run: <c>running</c>, <c>done</c> or <c>failed</c> (with why), from which log id, how many pages and
/// entries it read, how many it published and how many it skipped because the Log Stream (or an earlier pull) had them.
/// </summary>
/// <param name="State">running, done or failed.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="From">The log id it started from.</param>
/// <param name="Pages">Pages read.</param>
/// <param name="Fetched">Entries read.</param>
/// <param name="Published">Entries published.</param>
/// <param name="Skipped">Entries the Log Stream (or an earlier pull) had delivered.</param>
/// <param name="LastLogId">The last log id read.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="Error">Why it failed, if it did.</param>
public sealed record BackfillRunStatus(
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
