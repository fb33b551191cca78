using System.Globalization;
using EventHub.Access;
using EventHub.Contracts.Auth0;

namespace EventHub.Dashboard.Auth0;

/// <summary>
/// The backfill card of the Auth0 page, read in process from the Auth0 module (<see cref="IBackfillStatusReader"/>):
/// what <c>GET /v1/auth0/backfill</c> shows, to the keys it shows it to (<c>auth0:read</c>).
/// </summary>
internal sealed record BackfillCard(string State, string Detail)
{
    public static readonly BackfillCard NotShown = new("not shown", "The backfill's state needs a key with the 'auth0:read' scope.");

    public static async Task<BackfillCard> ReadAsync(IBackfillStatusReader? reader, ApiKey caller, CancellationToken cancellationToken)
    {
        if (!caller.Has(Scopes.Auth0Read))
            return NotShown;
        var status = reader is null ? null : await reader.ReadAsync(cancellationToken);
        if (status is null || status.Mode == "Off")
            return new("off", "Entries arrive only through the Log Stream: set EventHub__Auth0__Domain, __ClientId and __ClientSecret to pull missed ones from the Management API.");
        var run = status.Run is { } r
            ? $"last run {r.State}{(r.FinishedAt is { } at ? " at " + at.ToString("u", CultureInfo.InvariantCulture) : "")}: {r.Published} published, {r.Skipped} already streamed{(r.Error is null ? "" : ", " + r.Error)}"
            : "no run yet";
        return new(status.Mode.ToLowerInvariant(), $"Checkpoint {status.Checkpoint ?? "none"}; {run}.");
    }
}
