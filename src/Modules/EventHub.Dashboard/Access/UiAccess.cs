using System.Security.Claims;

namespace EventHub.Dashboard.Access;

/// <summary>
/// The dashboard's own cookie login. The cookie (encrypted and signed by ASP.NET Data Protection) carries the key's
/// name, whether it may change state, and the key itself: the dashboard reads and replays through the hub's API with the
/// logged-in person's key, so the API's own checks apply to everything the pages do.
/// </summary>
internal static class UiAccess
{
    public const string Scheme = "EventHub.Ui";
    public const string ViewPolicy = "eventhub-ui";
    public const string CookieName = "eventhub_ui";
    public const string KeyClaim = "eventhub:key";
    public const string AdminClaim = "eventhub:admin";

    public static ClaimsPrincipal Principal(string name, string secret, bool admin)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(KeyClaim, secret) };
        if (admin)
            claims.Add(new Claim(AdminClaim, "true"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(AdminClaim, "true");

    public static string? ApiKey(this ClaimsPrincipal user) => user.FindFirst(KeyClaim)?.Value;
}
