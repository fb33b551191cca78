namespace EventHub.Dashboard.Auth0;

/// <summary>
/// Backfill from the Auth0 Management API, as the Auth0 page shows it. The seam: when the backfill lands, the Auth0 module
/// answers a request contract over the bus (as the events module answers <c>GetLoggedEvents</c>) and this asks it, with a
/// short timeout that falls back to <see cref="NotEnabled"/>. Until then there is nothing to ask.
/// </summary>
internal sealed record BackfillStatus(string State, string Detail)
{
    public static readonly BackfillStatus NotEnabled = new("not enabled", "Backfill from the Auth0 Management API is not part of this hub yet: entries arrive only through the Log Stream.");

    public static Task<BackfillStatus> CurrentAsync() => Task.FromResult(NotEnabled);
}
