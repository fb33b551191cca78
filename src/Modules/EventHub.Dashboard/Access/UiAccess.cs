using System.Security.Claims;
using EventHub.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EventHub.Dashboard.Access;

/// <summary>
/// The dashboard's own cookie login. The cookie is an authentication ticket (encrypted and signed by ASP.NET Data
/// Protection, whose key ring is in the hub's database so every copy reads it) holding the key's name and a fingerprint
/// of the secret that logged in, never the secret. Every request looks the key up again by name, so a key removed, a
/// secret rotated away or a scope changed on the host applies from the next request. The pages read through the
/// modules' in-process readers for that key, with the API's rules (scopes, read bounds, listener owners; docs/adr/0020).
/// </summary>
internal static class UiAccess
{
    public const string Scheme = "EventHub.Ui";
    public const string ViewPolicy = "eventhub-ui";
    public const string CookieName = "eventhub_ui";
    const string SecretClaim = "eventhub:secret";

    public static ClaimsPrincipal Principal(string name, string secret) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(SecretClaim, ApiKeys.Fingerprint(secret))], Scheme));

    /// <summary>Ends a session whose key is gone or whose secret is no longer one of that key's.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeys>();
        var fingerprint = context.Principal?.FindFirst(SecretClaim)?.Value;
        if (fingerprint is not null && keys.FindFingerprint(fingerprint) is { } key && key.Name == context.Principal!.Identity?.Name)
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    public static bool MayReplay(this HttpContext context) => context.Caller()?.Has(Scopes.Replay) == true;

    /// <summary>Resuming a listener is managing it; the API still refuses another key's listener.</summary>
    public static bool MayManageListeners(this HttpContext context) => context.Caller()?.Has(Scopes.ListenersManage) == true;

    /// <summary>The hub's own error queues hold whole events of every source: only <c>admin</c> keys see or move them.</summary>
    public static bool IsAdmin(this HttpContext context) => context.Caller()?.Has(Scopes.Admin) == true;
}
