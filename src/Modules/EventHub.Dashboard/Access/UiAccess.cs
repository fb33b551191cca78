using System.Security.Claims;
using EventHub.Access;
using Microsoft.AspNetCore.Http;

namespace EventHub.Dashboard.Access;

/// <summary>
/// The dashboard's own cookie login. The cookie (encrypted and signed by ASP.NET Data Protection) carries the key's
/// name and the key itself, so a login made with a secret since removed (a rotation finished) ends
/// (<see cref="KnownKeyFilter"/>). The pages read through the modules' in-process readers for that key by name, with
/// the API's rules (scopes, read bounds, listener owners; docs/adr/0020). What the pages offer is read from the key's
/// current scopes by name, so a scope removed on the host is gone from the next page.
/// </summary>
internal static class UiAccess
{
    public const string Scheme = "EventHub.Ui";
    public const string ViewPolicy = "eventhub-ui";
    public const string CookieName = "eventhub_ui";
    public const string KeyClaim = "eventhub:key";

    public static ClaimsPrincipal Principal(string name, string secret) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(KeyClaim, secret)], Scheme));

    public static bool MayReplay(this HttpContext context) => context.Caller()?.Has(Scopes.Replay) == true;

    /// <summary>Resuming a listener is managing it; the API still refuses another key's listener.</summary>
    public static bool MayManageListeners(this HttpContext context) => context.Caller()?.Has(Scopes.ListenersManage) == true;

    /// <summary>The hub's own error queues hold whole events of every source: only <c>admin</c> keys see or move them.</summary>
    public static bool IsAdmin(this HttpContext context) => context.Caller()?.Has(Scopes.Admin) == true;

    public static string? ApiKey(this ClaimsPrincipal user) => user.FindFirst(KeyClaim)?.Value;
}
