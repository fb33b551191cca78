using EventHub.Access;
using EventHub.Dashboard.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EventHub.Dashboard.Pages;

internal sealed class LoginModel(ApiKeys keys, IConfiguration configuration, ILogger<LoginModel> logger) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? key)
    {
        // Every secret of a key logs in, the new and the old of a rotation (EventHub__Keys__<name>__0, __1) alike.
        var found = string.IsNullOrEmpty(key) ? null : keys.Find(key);
        if (found is null)
        {
            // The address is personal data: logged only where the operator allows it (validated by the host at startup).
            if (configuration.GetValue<bool>("EventHub:Logging:IncludePii"))
                logger.LogWarning("Dashboard login refused: unknown API key, from {ClientIp}", HttpContext.Connection.RemoteIpAddress?.ToString());
            else
                logger.LogWarning("Dashboard login refused: unknown API key");
            Error = "That is not a key this hub knows. Check EventHub__Keys__<name> on the host.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(UiAccess.Scheme, UiAccess.Principal(found.Name, key!));
        logger.LogInformation("Dashboard login with key {KeyName} ({Scopes})", found.Name, string.Join(", ", found.Scopes));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/ui", StringComparison.Ordinal) ? ReturnUrl : "/ui");
    }
}
