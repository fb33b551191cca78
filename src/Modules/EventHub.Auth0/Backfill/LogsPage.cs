namespace EventHub.Auth0.Backfill;

/// <summary>One answer of <c>GET /api/v2/logs?from=&amp;take=</c>: the raw JSON array, and the path of the <c>next</c> link.</summary>
internal sealed record LogsPage(byte[] Body, string? Next);
